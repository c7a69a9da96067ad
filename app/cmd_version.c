/* SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "cli.h"
#include "fascia/fascia.h"

int fa_cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("fascia %s\n", fa_version());
    return 0;
}
