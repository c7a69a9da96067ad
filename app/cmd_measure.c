/* SPDX-License-Identifier: MIT */
/* fascia tug — the seed's shirt picture (B1): pull one point, watch the
 * tension spread through the sheet, let go. */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

#include "cli.h"
#include "cli_util.h"
#include "fascia/fascia.h"
#include "fascia/load.h"
#include "fascia/measure.h"
#include "fascia/report.h"
#include "fascia/sim.h"

static void tug_usage(FILE *f)
{
    fprintf(f,
            "usage: fascia tug [BODY.yaml] [options]\n\n"
            "Pull one free node of a body (default: the built-in shirt, data/bodies/shirt.yaml) with a\n"
            "ramped force, hold, release, and report how tension spreads over the sheet: peak fibre\n"
            "stress by distance from the tug, how far it reaches (10 %% of the tug site's peak), how\n"
            "fast the far edge feels it, how much the far edge lifts, and where around the body the\n"
            "tension arrives (a stiff band channels it).\n\n"
            "options:\n"
            "  --node NAME        node to pull (default: 'collar', else the back of the collar shirt.32.<top>)\n"
            "  --force FX,FY,FZ   pull force in N at full ramp (default 2 N along the body's long axis,\n"
            "                     away from its centre: a collar is pulled up)\n"
            "  --ramp S           force ramp time in s (default 0.02)\n"
            "  --prestrain E      resting in-vivo prestrain of sheets and cords (default 0.01, grade C)\n"
            "  --hold S           hold at full force in s (default 0.15)\n"
            "  --release S        observation after letting go in s (default 0.1)\n"
            "  --dt S             time step in s (default: the body's option, 1 ms)\n"
            "  --far NAME         node followed as the far point (default: the free node farthest\n"
            "                     against the pull, nearest the pull line: the small of the back)\n"
            "  --watch N1[,N2..]  also follow these nodes' displacement along the pull (a sleeve's hem\n"
            "                     sleeve_r.8.39, the small of the back shirt.32.0): peak, %% of the tug\n"
            "                     point's, and what is left 0.1 s and 1 s after letting go\n"
            "  --glide-h M        thickness in m of every sliding interface's loose layer (default: the\n"
            "                     body's; e.g. 43e-6, the crural inter-sublayer value of Stecco 2009)\n"
            "  --solver S         linear solver of the implicit steps: auto, cholmod or pcg (default auto)\n"
            "  --compare BODY2    run the same tug on a second body and print both side by side\n"
            "  --vtk FILE         write the state at the end of the hold as legacy VTK (ParaView)\n"
            "  --csv FILE         write the time series (time, band stresses, far-edge lift, the tug\n"
            "                     point's, far point's and watched nodes' displacements along the pull)\n");
}

static int find_tug_node(const fa_model *m, const char *name)
{
    if (name) return fa_model_lookup(m, "node", name);
    /* a node named 'collar', else the back of the shirt's collar (the point
     * the seed tugs: column 32 of 64, top ring) */
    int n = fa_model_lookup(m, "node", "collar");
    if (n >= 0) return n;
    int best = -1;
    for (int j = 0; j < 100000; j++) {
        int k = fa_model_mesh_node(m, "shirt", 32, j);
        if (k < 0) break;
        best = k;
    }
    return best;
}

typedef struct tug_out {
    fa_tug_result r;
    fa_model *m;
    fa_data *d;
    int *watch;
} tug_out;

/* resolve a comma-separated node list into o->watch; 0 on error (message printed) */
static int resolve_watch(const char *path, const char *list, tug_out *o, fa_tug_def *def)
{
    if (!list) return 1;
    size_t n = 1;
    for (const char *c = list; *c; c++) n += *c == ',';
    o->watch = (int *)malloc(n * sizeof(int));
    if (!o->watch) {
        fprintf(stderr, "fascia tug: out of memory\n");
        return 0;
    }
    int k = 0;
    for (const char *c = list;;) {
        const char *e = strchr(c, ',');
        size_t len = e ? (size_t)(e - c) : strlen(c);
        char name[256];
        if (len == 0 || len >= sizeof name) {
            fprintf(stderr, "fascia tug: --watch expects node names separated by commas, found '%s'\n", list);
            return 0;
        }
        memcpy(name, c, len);
        name[len] = '\0';
        int id = fa_model_lookup(o->m, "node", name);
        if (id < 0) {
            fprintf(stderr, "fascia tug: %s: no node '%s' to watch (--watch)\n", path, name);
            return 0;
        }
        o->watch[k++] = id;
        if (!e) break;
        c = e + 1;
    }
    def->nwatch = k;
    def->watch = o->watch;
    return 1;
}

static int run_one(const char *path, const char *node_name, const char *far_name, const char *watch,
                   double glide_h, const fa_tug_def *base, double force_mag, double dt, const char *vtk, tug_out *o)
{
    fa_error err;
    memset(o, 0, sizeof *o);
    if (fa_model_load(path, &o->m, &err) != FA_OK) {
        fprintf(stderr, "fascia tug: %s\n", err.msg);
        return 0;
    }
    if (dt > 0.0) o->m->opt.timestep = dt;
    if (glide_h > 0.0) {
        if (o->m->nintf == 0) {
            fprintf(stderr, "fascia tug: %s: --glide-h given but the body has no sliding interface\n", path);
            return 0;
        }
        for (int i = 0; i < o->m->nintf; i++) o->m->intf_h[i] = glide_h;
    }
    fa_tug_def def = *base;
    def.node = find_tug_node(o->m, node_name);
    if (def.node < 0) {
        fprintf(stderr, "fascia tug: %s: no node '%s' to pull (use --node NAME)\n", path,
                node_name ? node_name : "collar");
        return 0;
    }
    if (far_name) {
        def.far_node = fa_model_lookup(o->m, "node", far_name);
        if (def.far_node < 0) {
            fprintf(stderr, "fascia tug: %s: no node '%s' to follow (--far)\n", path, far_name);
            return 0;
        }
    }
    if (!resolve_watch(path, watch, o, &def)) return 0;
    if (force_mag > 0.0) {
        /* default direction: along the body's longest extent, away from its
         * centre (a collar is pulled up, a hem down) */
        double lo[3] = {1e300, 1e300, 1e300}, hi[3] = {-1e300, -1e300, -1e300}, c[3] = {0, 0, 0};
        for (int i = 0; i < o->m->nnode; i++)
            for (int k = 0; k < 3; k++) {
                double x = o->m->node_pos0[3 * i + k];
                lo[k] = x < lo[k] ? x : lo[k];
                hi[k] = x > hi[k] ? x : hi[k];
                c[k] += x / o->m->nnode;
            }
        int ax = 0;
        for (int k = 1; k < 3; k++)
            if (hi[k] - lo[k] > hi[ax] - lo[ax]) ax = k;
        def.force[0] = def.force[1] = def.force[2] = 0.0;
        def.force[ax] = o->m->node_pos0[3 * def.node + ax] >= c[ax] ? force_mag : -force_mag;
    }
    o->d = fa_data_alloc(o->m, 0);
    if (!o->d) {
        fprintf(stderr, "fascia tug: out of memory\n");
        return 0;
    }
    /* the hold ends at ramp+hold: stop there for the VTK snapshot, then release */
    fa_status s;
    if (vtk) {
        fa_tug_def a = def;
        a.release = 0.0;
        s = fa_tug_run(o->m, o->d, &a, &o->r, fa_cli_progress, (void *)"tug", &err);
        fa_cli_progress_done();
        if (s == FA_OK || s == FA_ERR_NOCONV) {
            if (fa_write_vtk(o->m, o->d, vtk, &err) != FA_OK) {
                fprintf(stderr, "fascia tug: %s\n", err.msg);
                return 0;
            }
            printf("wrote %s (state at the end of the hold)\n", vtk);
        }
        fa_tug_result_free(&o->r);
        fa_data_reset(o->m, o->d);
    }
    s = fa_tug_run(o->m, o->d, &def, &o->r, fa_cli_progress, (void *)"tug", &err);
    fa_cli_progress_done();
    if (s != FA_OK && s != FA_ERR_NOCONV) {
        fprintf(stderr, "fascia tug: %s\n", err.msg);
        return 0;
    }
    printf("%s: pulled node '%s' with %.3g N for %.3g s (dt %.3g s, %d nodes, %d membranes, %d cords)\n", path,
           fa_model_name(o->m, o->m->node_name[def.node]),
           sqrt(def.force[0] * def.force[0] + def.force[1] * def.force[1] + def.force[2] * def.force[2]),
           def.ramp + def.hold, o->m->opt.timestep, o->m->nnode, o->m->nmem, o->m->ncord);
    return 1;
}

static int write_csv(const char *path, const fa_tug_result *r)
{
    fa_error err;
    fa_afile af;
    if (fa_afile_open(&af, path, &err) != FA_OK) {
        fprintf(stderr, "fascia tug: %s\n", err.msg);
        return 0;
    }
    fprintf(af.f, "time");
    for (int b = 0; b < r->nbands; b++) fprintf(af.f, ",stress_at_%.3fm", r->band_dist[b]);
    fprintf(af.f, ",far_edge_lift_m,tug_point_m,far_point_m");
    for (int w = 0; w < r->nwatch; w++) fprintf(af.f, ",%s_m", r->watch_name + 64 * w);
    fputc('\n', af.f);
    for (int k = 0; k < r->nsample; k++) {
        fprintf(af.f, "%.6g", r->time[k]);
        for (int b = 0; b < r->nbands; b++) fprintf(af.f, ",%.9g", r->band_stress[(size_t)k * r->nbands + b]);
        fprintf(af.f, ",%.9g,%.9g,%.9g", r->far_disp[k], r->tug_disp[k], r->point_disp[k]);
        for (int w = 0; w < r->nwatch; w++) fprintf(af.f, ",%.9g", r->watch_disp[(size_t)k * r->nwatch + w]);
        fputc('\n', af.f);
    }
    if (fa_afile_commit(&af, &err) != FA_OK) {
        fprintf(stderr, "fascia tug: %s\n", err.msg);
        return 0;
    }
    return 1;
}

int fa_cmd_tug(int argc, char **argv)
{
    char defpath[4096];
    const char *body = NULL, *node = NULL, *far_name = NULL, *compare = NULL, *vtk = NULL, *csv = NULL;
    const char *watch = NULL;
    double dt = 0.0, force_mag = 2.0, glide_h = 0.0;
    fa_tug_def def = fa_default_tug_def();
    /* CLI defaults: a short hold and release at the body's 1 ms step, and the
     * in-vivo resting tension of fascia (grade C modelling assumption: half
     * the toe strain, so the crimped collagen is taut; see docs/tug.md) */
    def.hold = 0.15;
    def.release = 0.1;
    def.prestrain = 0.01;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            tug_usage(stdout);
            return 0;
        } else if (!strcmp(a, "--node") && has) node = argv[++i];
        else if (!strcmp(a, "--force") && has) {
            if (!fa_cli_vec3("tug", a, argv[++i], def.force)) return 2;
        } else if (!strcmp(a, "--ramp") && has) {
            if (!fa_cli_number("tug", a, argv[++i], &def.ramp)) return 2;
        } else if (!strcmp(a, "--prestrain") && has) {
            if (!fa_cli_number("tug", a, argv[++i], &def.prestrain)) return 2;
            if (!(def.prestrain > -0.2 && def.prestrain < 0.2)) {
                fprintf(stderr, "fascia tug: --prestrain expects a strain in (-0.2, 0.2)\n");
                return 2;
            }
        } else if (!strcmp(a, "--hold") && has) {
            if (!fa_cli_number("tug", a, argv[++i], &def.hold)) return 2;
        } else if (!strcmp(a, "--release") && has) {
            if (!fa_cli_number("tug", a, argv[++i], &def.release)) return 2;
        } else if (!strcmp(a, "--dt") && has) {
            if (!fa_cli_number("tug", a, argv[++i], &dt) || !(dt > 0.0 && dt <= 0.1)) {
                fprintf(stderr, "fascia tug: --dt expects a step in (0, 0.1] s\n");
                return 2;
            }
        } else if (!strcmp(a, "--compare") && has) compare = argv[++i];
        else if (!strcmp(a, "--far") && has) far_name = argv[++i];
        else if (!strcmp(a, "--watch") && has) {
            watch = argv[++i];
            size_t wl = strlen(watch);
            if (wl == 0 || watch[0] == ',' || watch[wl - 1] == ',' || strstr(watch, ",,")) {
                fprintf(stderr, "fascia tug: --watch expects node names separated by commas, found '%s'\n", watch);
                return 2;
            }
        }
        else if (!strcmp(a, "--glide-h") && has) {
            if (!fa_cli_number("tug", a, argv[++i], &glide_h)) return 2;
            if (!(glide_h >= 1e-7 && glide_h <= 0.01)) {
                fprintf(stderr, "fascia tug: --glide-h expects a layer thickness in m in [1e-7, 0.01], found '%s'\n",
                        argv[i]);
                return 2;
            }
        }
        else if (!strcmp(a, "--solver") && has) {
            const char *v = argv[++i];
            if (!strcmp(v, "auto")) def.linsolver = FA_LIN_AUTO;
            else if (!strcmp(v, "cholmod")) def.linsolver = FA_LIN_CHOLMOD;
            else if (!strcmp(v, "pcg")) def.linsolver = FA_LIN_PCG;
            else {
                fprintf(stderr, "fascia tug: --solver expects auto, cholmod or pcg, found '%s'\n", v);
                return 2;
            }
        }
        else if (!strcmp(a, "--vtk") && has) vtk = argv[++i];
        else if (!strcmp(a, "--csv") && has) csv = argv[++i];
        else if (a[0] == '-') {
            fprintf(stderr, "fascia tug: unknown option or missing value '%s'\n", a);
            tug_usage(stderr);
            return 2;
        } else if (!body) body = a;
        else {
            fprintf(stderr, "fascia tug: one body file expected, found also '%s'\n", a);
            return 2;
        }
    }
    if (!(def.ramp >= 0 && def.hold >= 0 && def.release >= 0 && def.ramp + def.hold > 0)) {
        fprintf(stderr, "fascia tug: --ramp/--hold/--release must be >= 0 with ramp+hold > 0\n");
        return 2;
    }
    if (!body) body = fa_cli_data_path("bodies/shirt.yaml", defpath, sizeof defpath);
    tug_out a, b;
    int ok = run_one(body, node, far_name, watch, glide_h, &def, force_mag, dt, vtk, &a);
    if (ok) {
        fa_tug_print(&a.r, stdout);
        if (csv && !write_csv(csv, &a.r)) ok = 0;
    }
    if (ok && compare) {
        ok = run_one(compare, node, far_name, watch, glide_h, &def, force_mag, dt, NULL, &b);
        if (ok) {
            fa_tug_print(&b.r, stdout);
            printf("\ncomparison                         %12s %12s\n", "first", "second");
            printf("reach (10 %% of tug site), m        %12.3f %12.3f\n", a.r.reach10, b.r.reach10);
            printf("decay length (e-fold), m           %12.3f %12.3f\n", a.r.decay_length, b.r.decay_length);
            printf("largest cord tension increase, N   %12.4g %12.4g\n", a.r.cord_peak, b.r.cord_peak);
            printf("far point lift, um                 %12.1f %12.1f\n", 1e6 * a.r.point_peak, 1e6 * b.r.point_peak);
            printf("far edge peak stress, Pa           %12.4g %12.4g\n", a.r.peak_far, b.r.peak_far);
            printf("far edge 10 %% of own peak, s       %12.3f %12.3f\n", a.r.t_far10, b.r.t_far10);
            printf("far edge lift, mm                  %12.3f %12.3f\n", 1e3 * a.r.far_lift, 1e3 * b.r.far_lift);
            int ns = a.r.nsectors < b.r.nsectors ? a.r.nsectors : b.r.nsectors;
            for (int s = 0; s < ns; s++)
                printf("far edge sector %d peak stress, Pa   %12.4g %12.4g\n", s, a.r.sector_peak[s],
                       b.r.sector_peak[s]);
            for (int w = 0; w < a.r.nwatch && w < b.r.nwatch; w++)
                printf("lift of %-26s um %12.2f %12.2f\n", a.r.watch_name + 64 * w, 1e6 * a.r.watch_peak[w],
                       1e6 * b.r.watch_peak[w]);
        }
        fa_tug_result_free(&b.r);
        free(b.watch);
        fa_data_free(b.d);
        fa_model_free(b.m);
    }
    fa_tug_result_free(&a.r);
    free(a.watch);
    fa_data_free(a.d);
    fa_model_free(a.m);
    return ok ? 0 : 1;
}
