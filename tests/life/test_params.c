/* SPDX-License-Identifier: MIT */
/* The runner's parameter table: data/life/parameters.csv and the compiled
 * copy agree row by row, every row has a source and an evidence grade; the
 * metabolic figures follow the ACSM equations. */
#include <stdlib.h>

#include "harness.h"
#include "life/internal.h"

/* Split one CSV line (RFC 4180 quotes) into at most n fields in place. */
static int split(char *s, char **f, int n)
{
    int k = 0;
    while (k < n) {
        char *w = s, *o = s;
        if (*s == '"') {
            s++;
            for (;;) {
                if (*s == '"' && s[1] == '"') {
                    *o++ = '"';
                    s += 2;
                } else if (*s == '"') {
                    s++;
                    break;
                } else if (!*s) {
                    break;
                } else {
                    *o++ = *s++;
                }
            }
        } else {
            while (*s && *s != ',' && *s != '\n' && *s != '\r') *o++ = *s++;
        }
        char end = *s;
        *o = 0;
        f[k++] = w;
        if (end != ',') break;
        s++;
    }
    return k;
}

int main(void)
{
    FILE *fp = fopen("data/life/parameters.csv", "r");
    CHECK(fp != NULL);
    if (!fp) TEST_MAIN_END();
    char line[2048];
    int row = 0, seen[64] = {0};
    CHECK(fgets(line, sizeof line, fp) && !strncmp(line, "id,value,unit,source,grade,notes", 32));
    while (fgets(line, sizeof line, fp)) {
        char *f[8];
        int n = split(line, f, 8);
        row++;
        CHECK_MSG(n >= 5, "row %d has %d fields", row, n);
        if (n < 5) continue;
        int i = 0;
        while (i < fa_life_nparam() && strcmp(fa_life_param_id(i), f[0])) i++;
        CHECK_MSG(i < fa_life_nparam(), "row %s is not in the compiled table", f[0]);
        if (i >= fa_life_nparam()) continue;
        seen[i]++;
        CHECK_MSG(strtod(f[1], NULL) == fa_life_param_value(i), "%s: table %s, compiled %.17g", f[0], f[1],
                  fa_life_param_value(i));
        CHECK_MSG(strlen(f[3]) > 5, "%s: no source", f[0]);
        CHECK_MSG(strlen(f[4]) == 1 && strchr("ABC", f[4][0]), "%s: grade '%s'", f[0], f[4]);
    }
    fclose(fp);
    for (int i = 0; i < fa_life_nparam(); i++) CHECK_MSG(seen[i] == 1, "%s appears %d times in the table", fa_life_param_id(i), seen[i]);

    /* ACSM: running 3.0 m/s = 180 m/min: VO2 = 0.2*180 + 3.5 = 39.5 ml/kg/min = 11.2857 MET;
     * walking 1.4 m/s = 84 m/min: 0.1*84 + 3.5 = 11.9 = 3.4 MET */
    fa_interval iv;
    memset(&iv, 0, sizeof iv);
    iv.act = FA_ACT_RUN;
    iv.speed = 3.0;
    CHECK_REL(fa_life_met(&iv), 39.5 / 3.5, 1e-14);
    iv.act = FA_ACT_WALK;
    iv.speed = 1.4;
    CHECK_REL(fa_life_met(&iv), 11.9 / 3.5, 1e-14);
    iv.act = FA_ACT_SLEEP;
    CHECK(fa_life_met(&iv) == 0.95);
    iv.act = FA_ACT_SIT_SLUMPED;
    CHECK(fa_life_met(&iv) == 1.45);
    fa_life_def def = fa_default_life_def();
    CHECK(def.mech_tol == 0.01 && def.pain_onset == 2.0 && def.dt_max == 3600.0);
    TEST_MAIN_END();
}
