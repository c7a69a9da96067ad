/* SPDX-License-Identifier: MIT */
/* fa_physio_set_habitual_day: a day of pieces (sleep, a walk, sitting, a
 * walk, standing) set as the habitual day and then lived for 60 days keeps
 * every tissue and layer field within 2 % of its initial value (the day is
 * a fixed point: remodel's habitual stimulus is what the two walks deliver
 * after desensitisation, crosslinks count the day's mean cycle rate, the
 * layers' own amplitude is full movement). The same day set through
 * fa_physio_set_habitual (the aggregate alone: cycles as if spread evenly
 * over 24 h) is no fixed point: collagen quality falls by more than 10 %
 * (the desensitised walks deliver a fraction of the uniform day's
 * stimulus). The muscles' serial sarcomere number keeps too (remodel's
 * balance strain of the day's additions and removals); measured against the
 * day's mean strain alone it ratchets longer. */
#include "harness.h"
#include "physio/physio_util.h"
#include "fascia/data.h"

#define NP 5
static const double DUR[NP] = {8 * 3600.0, 3600.0, 7 * 3600.0, 3600.0, 7 * 3600.0};

static void fill(const fa_model *m, fa_stimulus *s[NP])
{
    const int nt = m->ncord + m->nmem, e0i = nt, e0m = nt + m->nintf;
    for (int p = 0; p < NP; p++) {
        fa_stimulus_clear(s[p]);
        int walk = p == 1 || p == 3;
        for (int e = 0; e < m->nelem; e++) {
            double hold = p == 0 ? 0.001 : p == 2 ? 0.006 : 0.003;
            s[p]->strain_mean[e] = walk ? 0.005 : hold;
            s[p]->strain_peak[e] = walk ? 0.015 : hold;
            s[p]->stress_mean[e] = 1.5e8 * s[p]->strain_mean[e];
            s[p]->stress_peak[e] = 1.5e8 * s[p]->strain_peak[e];
            s[p]->t_load[e] = DUR[p];
            s[p]->cycles[e] = walk ? 0.9 * DUR[p] : 0.0;
        }
        for (int e = e0i; e < e0m && walk; e++) {
            s[p]->slide_amp[e] = 0.004;
            s[p]->slide_vel[e] = 0.02;
            s[p]->t_slide[e] = DUR[p];
        }
        for (int e = e0m; e < m->nelem; e++) s[p]->effort[e] = walk ? 0.3 : 0.05;
        s[p]->activity = walk ? 0.2 : 0.05;
        s[p]->rest = p == 0;
    }
}

static double max_rel(const double *a, const double *b, int i0, int i1)
{
    double w = 0.0;
    for (int i = i0; i < i1; i++) w = fmax(w, fabs(b[i] - a[i]) / fmax(fabs(a[i]), 1e-12));
    return w;
}

/* live the day 60 times; the largest relative change of collagen quality
 * (out[0]), of the other fields checked (out[1]) and of the muscles'
 * optimal fibre length scale (out[2]) */
static void live(const fa_model *m, fa_data *d, fa_stimulus *s[NP], double out[3])
{
    const int nt = m->ncord + m->nmem, ni = m->nintf;
    const char *f[] = {"tis_dens", "tis_thick", "tis_xlink", "tis_hyd", "intf_visc", "adhesion.frac"};
    const int n[] = {nt, nt, nt, nt, ni, ni};
    double *x0[6];
    for (int k = 0; k < 6; k++) {
        x0[k] = malloc((size_t)n[k] * sizeof(double));
        memcpy(x0[k], fa_physio_state_const(m, d, f[k]), (size_t)n[k] * sizeof(double));
    }
    for (int day = 0; day < 60; day++)
        for (int p = 0; p < NP; p++) fa_physio_step(m, d, s[p], DUR[p]);
    out[0] = max_rel(x0[0], fa_physio_state_const(m, d, f[0]), 0, nt);
    out[1] = 0.0;
    for (int k = 1; k < 6; k++) {
        double w = max_rel(x0[k], fa_physio_state_const(m, d, f[k]), 0, n[k]);
        printf("  %-14s %.3f %%\n", f[k], 100.0 * w);
        out[1] = fmax(out[1], w);
        free(x0[k]);
    }
    free(x0[0]);
    const double *rs = fa_physio_state_const(m, d, "remodel.rs");
    for (int e = 0; e < nt; e++) out[1] = fmax(out[1], fabs(rs[e]));
    out[2] = 0.0;
    for (int e = nt + ni; e < m->nelem; e++) out[2] = fmax(out[2], fabs(d->tis_rest[e] - 1.0));
}

int main(void)
{
    fa_error err;
    fa_model *m = tiny_model(3);
    fa_physio_params *P = fa_physio_params_default(&err);
    fa_data *d = m ? fa_data_alloc(m, 0) : NULL;
    CHECK(m && P && d);
    if (!m || !P || !d) TEST_MAIN_END();
    fa_stimulus *s[NP], *agg = fa_stimulus_alloc(m);
    for (int p = 0; p < NP; p++) s[p] = fa_stimulus_alloc(m);
    fill(m, s);
    double w[3];

    /* the day as pieces: a fixed point */
    CHECK_MSG(fa_physio_init(m, d, P, &err) == FA_OK, "%s", err.msg);
    CHECK_MSG(fa_physio_set_habitual_day(m, d, (const fa_stimulus *const *)s, DUR, NP, &err) == FA_OK, "%s", err.msg);
    const double *sr = fa_physio_state_const(m, d, "habitual.stim_rate");
    CHECK(sr[0] > 0.0); /* strained cords: the replayed stimulus */
    live(m, d, s, w);
    printf("pieces: collagen quality %.3f %%, other fields %.3f %%, muscle fibre length %.3f %%\n", 100.0 * w[0],
           100.0 * w[1], 100.0 * w[2]);
    CHECK_MSG(w[0] < 0.02 && w[1] < 0.02, "quality %g, others %g", w[0], w[1]);
    /* the muscles keep their sarcomeres: the balance strain of the day's
     * additions (sitting held longer than the day's mean) and removals */
    CHECK(m->nmuscle > 0);
    CHECK_MSG(w[2] < 0.002, "muscle fibre length moved by %g", w[2]);

    /* the aggregate alone (uniform cycles): remodel's set point is not what the walks deliver */
    CHECK_MSG(fa_physio_init(m, d, P, &err) == FA_OK, "%s", err.msg);
    fa_stimulus_clear(agg);
    for (int e = 0; e < m->nelem; e++) {
        double tl = 0.0, em = 0.0, sm = 0.0;
        for (int p = 0; p < NP; p++) {
            tl += s[p]->t_load[e];
            em += s[p]->t_load[e] * s[p]->strain_mean[e];
            sm += s[p]->t_load[e] * s[p]->stress_mean[e];
            agg->cycles[e] += s[p]->cycles[e];
            agg->t_slide[e] += s[p]->t_slide[e];
        }
        agg->t_load[e] = tl;
        agg->strain_mean[e] = em / tl;
        agg->stress_mean[e] = sm / tl;
        agg->strain_peak[e] = 0.015;
        agg->slide_amp[e] = 0.004;
        agg->slide_vel[e] = 0.02;
        agg->effort[e] = 0.3;
    }
    CHECK_MSG(fa_physio_set_habitual(m, d, agg, 86400.0, &err) == FA_OK, "%s", err.msg);
    live(m, d, s, w);
    printf("aggregate: collagen quality %.3f %%, muscle fibre length %.3f %%\n", 100.0 * w[0], 100.0 * w[2]);
    CHECK_MSG(w[0] > 0.10, "quality moved by %g only", w[0]);
    /* against the day's mean strain the saturating stretch signal of the
     * sitting hours outweighs the removals: the muscles ratchet longer */
    CHECK_MSG(w[2] > 0.01, "muscle fibre length moved by %g only", w[2]);

    for (int p = 0; p < NP; p++) fa_stimulus_free(s[p]);
    fa_stimulus_free(agg);
    fa_data_free(d);
    fa_physio_params_free(P);
    fa_model_free(m);
    TEST_MAIN_END();
}
