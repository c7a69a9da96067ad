/* SPDX-License-Identifier: MIT */
/* Terminal progress bar with an ETA; silent unless the stream is a TTY. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fascia/report.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void hms(char *b, size_t n, double s)
{
    if (!(s >= 0) || s > 360000.0 * 99) {
        snprintf(b, n, "--:--:--");
        return;
    }
    long x = (long)(s + 0.5);
    snprintf(b, n, "%ld:%02ld:%02ld", x / 3600, (x / 60) % 60, x % 60);
}

void fa_progress_format(char *buf, size_t cap, const char *label, double done, double total, double elapsed_s, int width)
{
    if (width < 1) width = 1;
    if (width > 200) width = 200;
    double frac = total > 0 ? done / total : 0;
    if (!(frac >= 0)) frac = 0;
    if (frac > 1) frac = 1;
    char bar[204];
    int full = (int)(frac * width);
    for (int i = 0; i < width; i++) bar[i] = i < full ? '#' : '.';
    bar[width] = '\0';
    char eta[32];
    if (done > 0 && done < total) hms(eta, sizeof eta, elapsed_s * (total - done) / done);
    else if (done >= total && total > 0) hms(eta, sizeof eta, 0);
    else snprintf(eta, sizeof eta, "--:--:--");
    snprintf(buf, cap, "%s [%s] %5.1f%%  %.0f/%.0f  ETA %s", label ? label : "", bar, 100.0 * frac, done, total, eta);
}

void fa_progress_init(fa_progress *p, FILE *out, double total, const char *label)
{
    memset(p, 0, sizeof *p);
    p->out = out;
    p->enabled = out && isatty(fileno(out));
    p->total = total;
    p->width = 30;
    p->t_start = now();
    p->t_last = -1e300;
    snprintf(p->label, sizeof p->label, "%s", label ? label : "");
}

static void draw(fa_progress *p, double done)
{
    char buf[320];
    fa_progress_format(buf, sizeof buf, p->label, done, p->total, now() - p->t_start, p->width);
    fprintf(p->out, "\r%s", buf);
    fflush(p->out);
}

void fa_progress_update(fa_progress *p, double done)
{
    if (!p->enabled) return;
    double t = now();
    if (t - p->t_last < 0.1) return;
    p->t_last = t;
    draw(p, done);
}

void fa_progress_finish(fa_progress *p)
{
    if (!p->enabled) return;
    draw(p, p->total);
    fputc('\n', p->out);
    fflush(p->out);
}
