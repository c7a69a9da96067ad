/* SPDX-License-Identifier: MIT */
/* fascia build-runner [-o FILE] [--osim FILE] [--anatomy DIR]
 * fascia body [BODY]
 * Exit status: 0 ok, 1 error (message on stderr), 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_util.h"
#include "fascia/anatomy.h"
#include "fascia/load.h"
#include "fascia/osim.h"
#include "fascia/sim.h"

static void build_usage(FILE *f)
{
    fprintf(f, "usage: fascia build-runner [-o FILE] [--osim FILE] [--anatomy DIR] [--bags FILE]\n\n"
               "Build the default runner body from the Rajagopal 2016 skeleton and the anatomy\n"
               "tables (landmarks, Anatomy Trains lines and tracks, structures, materials) and\n"
               "write it as a body file (YAML).\n\n"
               "options:\n"
               "  -o FILE         output (default: data/bodies/runner.yaml; '-' = stdout)\n"
               "  --osim FILE     skeleton (default: data/opensim/models/opensim4/Rajagopal2016.osim)\n"
               "  --anatomy DIR   tables (default: data/anatomy)\n"
               "  --bags FILE     wrap the muscles of FILE (data/anatomy/bags.csv) in epimysial\n"
               "                  bags (default: none; see docs/anatomy.md, \"Epimysial bags\")\n"
               "  -h, --help      show this help\n");
}

int fa_cmd_build_runner(int argc, char **argv)
{
    char out_def[1024], osim_def[1024], dir_def[1024];
    const char *out = fa_cli_data_path("bodies/runner.yaml", out_def, sizeof out_def);
    const char *osim_path = fa_cli_data_path("opensim/models/opensim4/Rajagopal2016.osim", osim_def, sizeof osim_def);
    const char *dir = fa_cli_data_path("anatomy", dir_def, sizeof dir_def);
    const char *bags = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            build_usage(stdout);
            return 0;
        }
        const char **dst = !strcmp(argv[i], "-o") ? &out : !strcmp(argv[i], "--osim") ? &osim_path
                           : !strcmp(argv[i], "--anatomy") ? &dir : !strcmp(argv[i], "--bags") ? &bags : NULL;
        if (!dst || i + 1 >= argc) {
            fprintf(stderr, "fascia build-runner: %s '%s'\n", dst ? "missing value for" : "unknown argument", argv[i]);
            build_usage(stderr);
            return 2;
        }
        *dst = argv[++i];
    }
    fa_error err;
    fa_anatomy *a = NULL;
    fa_osim *o = NULL;
    if (fa_anatomy_load(dir, &a, &err) != FA_OK || fa_osim_load(osim_path, &o, &err) != FA_OK) {
        fprintf(stderr, "%s\n", err.msg);
        fa_anatomy_free(a);
        return 1;
    }
    /* write to a temporary file, then rename: a failed build never leaves half a body */
    char tmp[1100];
    int to_stdout = !strcmp(out, "-");
    snprintf(tmp, sizeof tmp, "%s.tmp", out);
    FILE *f = to_stdout ? stdout : fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "fascia build-runner: cannot write '%s'\n", tmp);
        fa_anatomy_free(a);
        fa_osim_free(o);
        return 1;
    }
    fa_runner_def def = fa_runner_default_def();
    def.osim_label = "data/opensim/models/opensim4/Rajagopal2016.osim";
    def.bags = bags;
    fa_status st = fa_runner_write(a, o, &def, f, &err);
    if (!to_stdout && fclose(f) != 0 && st == FA_OK) st = FA_ERR_IO;
    if (st == FA_OK && !to_stdout && rename(tmp, out) != 0) st = FA_ERR_IO;
    if (st != FA_OK) {
        fprintf(stderr, "fascia build-runner: %s\n", st == FA_ERR_IO ? "cannot write the output" : err.msg);
        if (!to_stdout) remove(tmp);
    }
    fa_anatomy_free(a);
    fa_osim_free(o);
    return st == FA_OK ? 0 : 1;
}

int fa_cmd_body(int argc, char **argv)
{
    char def_path[1024];
    const char *path = fa_cli_data_path("bodies/runner.yaml", def_path, sizeof def_path);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            printf("usage: fascia body [BODY]\n\nLoad a body file (default: the runner body) and print its elements by\n"
                   "kind, every line with its element count, length and evidence grade, every\n"
                   "structure and every reporting region.\n");
            return 0;
        }
        if (argv[i][0] == '-') {
            fprintf(stderr, "fascia body: unknown option '%s'\n", argv[i]);
            return 2;
        }
        path = argv[i];
    }
    fa_model *m = NULL;
    fa_error err;
    if (fa_model_load(path, &m, &err) != FA_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    printf("%s\n", path);
    fa_body_print(m, stdout);
    fa_model_free(m);
    return 0;
}

static void posture_usage(FILE *f)
{
    fprintf(f, "usage: fascia posture [NAME [COORD=VALUE ...]] [--body FILE] [--osim FILE] [--anatomy DIR]\n\n"
               "Put the body (default: the runner body) in posture NAME of data/anatomy/postures.csv,\n"
               "optionally changing coordinates (degrees for rotational ones, metres for translational,\n"
               "e.g. hip_adduction_r=15), solve static equilibrium and print the mean and largest\n"
               "strain of every line and every structure (region structure.*), with the change from\n"
               "standing. Without NAME, list the postures.\n");
}

/* mean and max strain (cords, membranes, muscles) of a list of elements */
static void group_strain(const fa_model *m, const double *strain, const int *el, int n, double *mean, double *mx)
{
    double s = 0;
    int k = 0;
    *mx = -1e300;
    for (int i = 0; i < n; i++) {
        int loc;
        fa_kind kd = fa_elem_kind(m, el[i], &loc);
        if (kd == FA_INTERFACE || kd == FA_MUSCLE) continue; /* muscle strain is fibre length vs lopt */
        double e = strain[el[i]];
        s += e;
        if (e > *mx) *mx = e;
        k++;
    }
    *mean = k ? s / k : 0.0;
    if (!k) *mx = 0.0;
}

int fa_cmd_posture(int argc, char **argv)
{
    char body_def[1024], osim_def[1024], dir_def[1024];
    const char *body = fa_cli_data_path("bodies/runner.yaml", body_def, sizeof body_def);
    const char *osim_path = fa_cli_data_path("opensim/models/opensim4/Rajagopal2016.osim", osim_def, sizeof osim_def);
    const char *dir = fa_cli_data_path("anatomy", dir_def, sizeof dir_def);
    const char *name = NULL;
    const char *set[64];
    int nset = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            posture_usage(stdout);
            return 0;
        }
        if (argv[i][0] != '-' && strchr(argv[i], '=')) {
            if (nset == 64) {
                fprintf(stderr, "fascia posture: at most 64 COORD=VALUE settings\n");
                return 2;
            }
            set[nset++] = argv[i];
            continue;
        }
        const char **dst = !strcmp(argv[i], "--body") ? &body : !strcmp(argv[i], "--osim") ? &osim_path
                           : !strcmp(argv[i], "--anatomy") ? &dir : NULL;
        if (dst) {
            if (i + 1 >= argc) {
                fprintf(stderr, "fascia posture: missing value for '%s'\n", argv[i]);
                return 2;
            }
            *dst = argv[++i];
        } else if (argv[i][0] == '-' || name) {
            fprintf(stderr, "fascia posture: unexpected argument '%s'\n", argv[i]);
            posture_usage(stderr);
            return 2;
        } else {
            name = argv[i];
        }
    }
    fa_error err;
    fa_anatomy *a = NULL;
    fa_osim *o = NULL;
    fa_model *m = NULL;
    if (fa_anatomy_load(dir, &a, &err) != FA_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    if (!name) {
        const char *names[64];
        int n = fa_anatomy_postures(a, names, 64);
        for (int i = 0; i < n && i < 64; i++) printf("%s\n", names[i]);
        fa_anatomy_free(a);
        return 0;
    }
    if (fa_osim_load(osim_path, &o, &err) != FA_OK || fa_model_load(body, &m, &err) != FA_OK) {
        fprintf(stderr, "%s\n", err.msg);
        fa_anatomy_free(a);
        fa_osim_free(o);
        return 1;
    }
    int rc = 0;
    fa_osim_pose ref, pose;
    memset(&ref, 0, sizeof ref);
    memset(&pose, 0, sizeof pose);
    /* one fa_data for both solves (standing first, its strains kept in d0s) */
    fa_data *d = fa_data_alloc(m, 0);
    double *d0s = (double *)malloc(sizeof(double) * (size_t)(m->nelem ? m->nelem : 1));
    if (!d || !d0s || fa_osim_pose_init(o, &ref, &err) || fa_osim_pose_init(o, &pose, &err) ||
        fa_anatomy_posture(a, o, "standing", &ref, &err) || fa_anatomy_posture(a, o, name, &pose, &err)) {
        fprintf(stderr, "fascia posture: %s\n", (d && d0s) ? err.msg : "out of memory");
        rc = 1;
    }
    for (int k = 0; k < nset && !rc; k++) {
        char cname[128];
        const char *eq = strchr(set[k], '=');
        snprintf(cname, sizeof cname, "%.*s", (int)(eq - set[k]), set[k]);
        int c = fa_osim_find_coord(o, cname);
        double v;
        if (c < 0) {
            fprintf(stderr, "fascia posture: unknown coordinate '%s' (expected a coordinate of %s)\n", cname, o->name);
            rc = 2;
        } else if (!fa_cli_number("posture", cname, eq + 1, &v)) {
            rc = 2;
        } else {
            pose.q[c] = o->coord_motion[c] == FA_OSIM_ROTATIONAL ? v * 3.14159265358979323846 / 180.0 : v;
        }
    }
    if (!rc && nset) {
        fa_osim_apply_couplers(o, &pose);
        fa_osim_fk(o, &pose);
    }
    for (int pass = 0; pass < 2 && !rc; pass++) {
        fa_data *dd = d;
        fa_data_reset(m, dd);
        fa_anatomy_set_body_poses(m, o, &ref, pass ? &pose : &ref, dd);
        fa_kinematics_anchor(m, dd);
        fa_anatomy_carry_free_nodes(m, dd);
        fa_static_def def = fa_default_static_def();
        def.maxiter = 200;
        def.xtol = 1e-6; /* m: at the round-off floor of the force residual, accept a 1 um remaining move */
        fa_static_report rep;
        fa_status st = fa_solve_static(m, dd, &def, &rep, &err);
        if (st != FA_OK) {
            fprintf(stderr, "fascia posture: %s: %s\n", pass ? name : "standing", err.msg);
            rc = 1;
        } else if (!pass) {
            memcpy(d0s, dd->elem_strain, sizeof(double) * (size_t)m->nelem);
        } else {
            printf("posture %s: static equilibrium in %d Newton iterations (residual %.3g N, energy %.4g J)\n", name,
                   rep.iterations, rep.residual, rep.energy);
        }
    }
    if (!rc) {
        printf("\n%-36s %9s %9s %9s\n", "line", "mean", "max", "d_mean");
        for (int l = 0; l < m->nline; l++) {
            double mn, mx, mn0, mx0;
            group_strain(m, d->elem_strain, m->line_elem + m->line_adr[l], m->line_num[l], &mn, &mx);
            group_strain(m, d0s, m->line_elem + m->line_adr[l], m->line_num[l], &mn0, &mx0);
            printf("%-36s %9.4f %9.4f %+9.4f\n", fa_model_name(m, m->line_name[l]), mn, mx, mn - mn0);
        }
        printf("\n%-36s %9s %9s %9s\n", "structure", "mean", "max", "d_mean");
        for (int r = 0; r < m->nregion; r++) {
            const char *nm = fa_model_name(m, m->region_name[r]);
            if (strncmp(nm, "structure.", 10)) continue;
            double mn, mx, mn0, mx0;
            group_strain(m, d->elem_strain, m->region_elem + m->region_adr[r], m->region_num[r], &mn, &mx);
            group_strain(m, d0s, m->region_elem + m->region_adr[r], m->region_num[r], &mn0, &mx0);
            printf("%-36s %9.4f %9.4f %+9.4f\n", nm + 10, mn, mx, mn - mn0);
        }
        printf("\nstrain of the collagen (cords: engineering strain; membranes: along the first fibre family);\n"
               "muscles are left out (their strain is fibre length against the optimal length)\n");
    }
    fa_data_free(d);
    free(d0s);
    fa_osim_pose_free(&ref);
    fa_osim_pose_free(&pose);
    fa_model_free(m);
    fa_osim_free(o);
    fa_anatomy_free(a);
    return rc;
}
