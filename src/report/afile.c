/* SPDX-License-Identifier: MIT */
/* Atomic output files: write a temporary beside the target, fsync, rename.
 * rename() within one directory is atomic on POSIX file systems, so readers
 * see either the old complete file or the new complete file. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fascia/report.h"

fa_status fa_afile_open(fa_afile *a, const char *path, fa_error *err)
{
    memset(a, 0, sizeof *a);
    if (!path || !path[0]) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "expected an output path, found none");
    if (strlen(path) >= sizeof a->path)
        return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0, "expected an output path under %zu characters", sizeof a->path);
    snprintf(a->path, sizeof a->path, "%s", path);
    snprintf(a->tmp, sizeof a->tmp, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(a->tmp);
    if (fd < 0) {
        int e = errno;
        a->tmp[0] = '\0';
        return fa_error_set(err, FA_ERR_IO, path, 0, 0, "cannot create a temporary file beside it: %s", strerror(e));
    }
    (void)fchmod(fd, 0644);
    a->f = fdopen(fd, "wb");
    if (!a->f) {
        int e = errno;
        close(fd);
        unlink(a->tmp);
        a->tmp[0] = '\0';
        return fa_error_set(err, FA_ERR_IO, path, 0, 0, "cannot open the temporary file: %s", strerror(e));
    }
    return FA_OK;
}

void fa_afile_abort(fa_afile *a)
{
    if (a->f) {
        fclose(a->f);
        a->f = NULL;
    }
    if (a->tmp[0]) {
        unlink(a->tmp);
        a->tmp[0] = '\0';
    }
}

fa_status fa_afile_commit(fa_afile *a, fa_error *err)
{
    if (!a->f) return fa_error_set(err, FA_ERR_ARG, a->path, 0, 0, "commit of a file that is not open");
    int e = 0;
    const char *what = NULL;
    if (ferror(a->f)) what = "a write failed", e = EIO;
    if (!what && fflush(a->f)) what = "flush failed", e = errno;
    if (!what && fsync(fileno(a->f))) what = "fsync failed", e = errno;
    if (fclose(a->f) && !what) what = "close failed", e = errno;
    a->f = NULL;
    if (!what && rename(a->tmp, a->path)) what = "rename over the target failed", e = errno;
    if (what) {
        unlink(a->tmp);
        a->tmp[0] = '\0';
        return fa_error_set(err, FA_ERR_IO, a->path, 0, 0, "%s (%s); the previous file, if any, is unchanged", what,
                            strerror(e));
    }
    a->tmp[0] = '\0';
    /* make the rename durable: fsync the directory (best effort) */
    char dir[512];
    snprintf(dir, sizeof dir, "%s", a->path);
    char *slash = strrchr(dir, '/');
    if (slash) {
        if (slash == dir) slash[1] = '\0';
        else *slash = '\0';
    } else {
        snprintf(dir, sizeof dir, ".");
    }
    int dfd = open(dir, O_RDONLY);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    return FA_OK;
}

fa_status fa_write_file_atomic(const char *path, const void *data, size_t n, fa_error *err)
{
    fa_afile a;
    fa_status st = fa_afile_open(&a, path, err);
    if (st) return st;
    if (n && fwrite(data, 1, n, a.f) != n) {
        int e = errno;
        fa_afile_abort(&a);
        return fa_error_set(err, FA_ERR_IO, path, 0, 0, "write failed (%s); the previous file, if any, is unchanged", strerror(e));
    }
    return fa_afile_commit(&a, err);
}
