/* SPDX-License-Identifier: MIT */
/* CLI: OpenSim import commands (muscle-lengths, pose, motion, import). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fascia/osim.h"

static int load_model(const char *path, fa_osim **m)
{
    fa_error err;
    if (fa_osim_load(path, m, &err) != FA_OK) {
        fprintf(stderr, "fascia: %s\n", err.msg);
        return 1;
    }
    return 0;
}

static int load_motion(const char *path, fa_osim_motion *mot)
{
    fa_error err;
    if (fa_osim_motion_load(path, mot, &err) != FA_OK) {
        fprintf(stderr, "fascia: %s\n", err.msg);
        return 1;
    }
    return 0;
}

/* Write to path via a temporary file renamed into place (or stdout if NULL). */
typedef struct outfile {
    FILE *f;
    char tmp[4096];
    const char *path;
} outfile;

static int out_open(outfile *o, const char *path)
{
    o->path = path;
    if (!path) {
        o->f = stdout;
        return 0;
    }
    snprintf(o->tmp, sizeof o->tmp, "%s.tmp.%ld", path, (long)getpid());
    o->f = fopen(o->tmp, "w");
    if (!o->f) {
        fprintf(stderr, "fascia: cannot write %s: %s\n", o->tmp, strerror(errno));
        return 1;
    }
    return 0;
}

static int out_close(outfile *o, int ok)
{
    if (!o->path) return fflush(stdout) != 0;
    int bad = ferror(o->f) != 0;
    bad |= fclose(o->f) != 0;
    if (!ok || bad) {
        remove(o->tmp);
        if (bad) fprintf(stderr, "fascia: error writing %s\n", o->tmp);
        return 1;
    }
    if (rename(o->tmp, o->path)) {
        fprintf(stderr, "fascia: cannot rename %s to %s: %s\n", o->tmp, o->path, strerror(errno));
        remove(o->tmp);
        return 1;
    }
    return 0;
}

static fa_status moment_arms(const fa_osim *m, const fa_osim_motion *mot, const fa_osim_motion_def *def, int q,
                             double *out, fa_error *err)
{
    int *map = malloc((size_t)(m->ncoord ? m->ncoord : 1) * sizeof(int));
    if (!map) return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "out of memory");
    fa_osim_pose pose;
    fa_status st = fa_osim_motion_bind(m, mot, def, map, err);
    if (st == FA_OK) st = fa_osim_pose_init(m, &pose, err);
    if (st == FA_OK) {
        for (int f = 0; f < mot->nframe; f++) {
            fa_osim_motion_pose(m, mot, def, map, f, &pose);
            for (int i = 0; i < m->nmuscle; i++) out[(size_t)f * m->nmuscle + i] = fa_osim_moment_arm(m, &pose, i, q);
        }
        fa_osim_pose_free(&pose);
    }
    free(map);
    return st;
}

int fa_cmd_muscle_lengths(int argc, char **argv)
{
    const char *model = NULL, *motion = NULL, *out = NULL;
    int nowrap = 0;
    const char *macoord = NULL;
    fa_osim_motion_def def = FA_OSIM_MOTION_DEF_DEFAULT;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--strict"))
            def.strict = 1;
        else if (!strcmp(argv[i], "--no-wrap"))
            nowrap = 1;
        else if (!strcmp(argv[i], "--moment-arm") && i + 1 < argc)
            macoord = argv[++i];
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: fascia muscle-lengths MODEL.osim MOTION.mot [-o OUT.csv] [--strict] [--no-wrap]\n"
                   "                             [--moment-arm COORD]\n\n"
                   "Muscle-tendon path length (m) of every muscle/ligament path of MODEL at each\n"
                   "frame of MOTION: a CSV with a time column and one column per muscle, named as\n"
                   "in the model: straight segments between active path points (conditional and\n"
                   "moving points honoured) and geodesics over wrap cylinders and spheres (other\n"
                   "wrap shapes are not applied; --no-wrap turns wrapping off). Columns of MOTION\n"
                   "that name no coordinate are ignored unless --strict. --moment-arm COORD writes\n"
                   "each muscle's moment arm about COORD instead (m, -dL/dq, coupled coordinates\n"
                   "following).\n");
            return 0;
        } else if (!model)
            model = argv[i];
        else if (!motion)
            motion = argv[i];
        else {
            fprintf(stderr, "fascia muscle-lengths: unexpected argument '%s'\n", argv[i]);
            return 2;
        }
    }
    if (!model || !motion) {
        fprintf(stderr, "usage: fascia muscle-lengths MODEL.osim MOTION.mot [-o OUT.csv] [--strict] [--no-wrap]\n");
        return 2;
    }
    fa_osim *m;
    fa_osim_motion mot;
    if (load_model(model, &m)) return 1;
    if (nowrap) fa_osim_set_wrapping(m, 0);
    if (load_motion(motion, &mot)) {
        fa_osim_free(m);
        return 1;
    }
    int rc = 1;
    fa_error err;
    double *len = malloc((size_t)mot.nframe * (size_t)(m->nmuscle ? m->nmuscle : 1) * sizeof(double));
    if (!len)
        fprintf(stderr, "fascia: out of memory\n");
    else if (macoord && fa_osim_find_coord(m, macoord) < 0)
        fprintf(stderr, "fascia muscle-lengths: model \"%s\" has no coordinate '%s'\n", m->name, macoord);
    else if (!macoord && fa_osim_muscle_lengths(m, &mot, &def, len, &err) != FA_OK)
        fprintf(stderr, "fascia: %s\n", err.msg);
    else if (macoord && moment_arms(m, &mot, &def, fa_osim_find_coord(m, macoord), len, &err) != FA_OK)
        fprintf(stderr, "fascia: %s\n", err.msg);
    else {
        outfile o;
        if (!out_open(&o, out)) {
            fprintf(o.f, "time");
            for (int i = 0; i < m->nmuscle; i++) fprintf(o.f, ",%s", m->muscle_name[i]);
            fputc('\n', o.f);
            for (int f = 0; f < mot.nframe; f++) {
                fprintf(o.f, "%.9g", mot.time[f]);
                for (int i = 0; i < m->nmuscle; i++) fprintf(o.f, ",%.10g", len[(size_t)f * m->nmuscle + i]);
                fputc('\n', o.f);
            }
            rc = out_close(&o, 1);
        }
    }
    free(len);
    fa_osim_motion_free(&mot);
    fa_osim_free(m);
    return rc;
}

int fa_cmd_pose(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        printf("usage: fascia pose MODEL.osim [--motion MOTION.mot --time T] [COORD=VALUE ...]\n\n"
               "Sets coordinates (from the motion frame nearest to time T if given, then\n"
               "COORD=VALUE: degrees for rotational ones, metres for translational, model\n"
               "units for coupled ones; the rest keep their defaults, couplers applied) and\n"
               "prints every body origin and marker in ground (m).\n");
        return argc < 2 ? 2 : 0;
    }
    fa_osim *m;
    if (load_model(argv[1], &m)) return 1;
    fa_osim_pose pose;
    fa_error err;
    if (fa_osim_pose_init(m, &pose, &err) != FA_OK) {
        fprintf(stderr, "fascia: %s\n", err.msg);
        fa_osim_free(m);
        return 1;
    }
    unsigned char *set = calloc((size_t)(m->ncoord ? m->ncoord : 1), 1);
    int rc = 0;
    const char *motion = NULL;
    double tq = 0.0;
    int first = 2;
    while (first + 1 < argc && (!strcmp(argv[first], "--motion") || !strcmp(argv[first], "--time"))) {
        if (!strcmp(argv[first], "--motion"))
            motion = argv[first + 1];
        else {
            char *end;
            tq = strtod(argv[first + 1], &end);
            if (*end || end == argv[first + 1]) {
                fprintf(stderr, "fascia pose: --time expected a number, found '%s'\n", argv[first + 1]);
                rc = 2;
            }
        }
        first += 2;
    }
    if (motion && !rc) {
        fa_osim_motion mot;
        fa_osim_motion_def def = FA_OSIM_MOTION_DEF_DEFAULT;
        int *map = malloc((size_t)(m->ncoord ? m->ncoord : 1) * sizeof(int));
        if (!map || load_motion(motion, &mot))
            rc = 1;
        else {
            if (fa_osim_motion_bind(m, &mot, &def, map, &err) != FA_OK) {
                fprintf(stderr, "fascia: %s\n", err.msg);
                rc = 1;
            } else {
                int best = 0;
                for (int f = 1; f < mot.nframe; f++)
                    if (fabs(mot.time[f] - tq) < fabs(mot.time[best] - tq)) best = f;
                fa_osim_motion_pose(m, &mot, &def, map, best, &pose);
                printf("# motion %s frame %d at t = %.6g s\n", motion, best, mot.time[best]);
                for (int q = 0; q < m->ncoord; q++)
                    if (map[q] >= 0) set[q] = 2; /* from the motion */
            }
            fa_osim_motion_free(&mot);
        }
        free(map);
    }
    for (int i = first; i < argc && !rc; i++) {
        char name[256];
        const char *eq = strchr(argv[i], '=');
        char *end;
        if (!eq || (size_t)(eq - argv[i]) >= sizeof name) {
            fprintf(stderr, "fascia pose: expected COORD=VALUE, found '%s'\n", argv[i]);
            rc = 2;
            break;
        }
        memcpy(name, argv[i], (size_t)(eq - argv[i]));
        name[eq - argv[i]] = '\0';
        int q = fa_osim_find_coord(m, name);
        double v = strtod(eq + 1, &end);
        if (q < 0) {
            fprintf(stderr, "fascia pose: model \"%s\" has no coordinate '%s'\n", m->name, name);
            rc = 2;
        } else if (end == eq + 1 || *end) {
            fprintf(stderr, "fascia pose: '%s': expected a number after '=', found '%s'\n", argv[i], eq + 1);
            rc = 2;
        } else {
            pose.q[q] = m->coord_motion[q] == FA_OSIM_ROTATIONAL ? v * (3.14159265358979323846 / 180.0) : v;
            set[q] = 1; /* from the command line */
        }
    }
    if (!rc) {
        /* couplers for dependents not set explicitly */
        double *keep = malloc((size_t)(m->ncoord ? m->ncoord : 1) * sizeof(double));
        memcpy(keep, pose.q, (size_t)m->ncoord * sizeof(double));
        fa_osim_apply_couplers(m, &pose);
        /* a coupled dependent keeps its given value unless its independent
         * coordinate was changed on the command line */
        for (int q = 0; q < m->ncoord; q++) {
            int ind = m->coord_indep[q];
            if (set[q] == 1 || (set[q] == 2 && !(ind >= 0 && set[ind] == 1))) pose.q[q] = keep[q];
        }
        free(keep);
        fa_osim_fk(m, &pose);
        printf("# model %s (%s), %d bodies, %d markers; ground frame, metres\n", m->name, m->file, m->nbody,
               m->nmarker);
        printf("kind,name,x,y,z\n");
        for (int b = 0; b < m->nbody; b++)
            printf("body,%s,%.6f,%.6f,%.6f\n", m->body_name[b], pose.body_p[3 * b], pose.body_p[3 * b + 1],
                   pose.body_p[3 * b + 2]);
        for (int k = 0; k < m->nmarker; k++) {
            double w[3];
            fa_osim_marker_world(m, &pose, k, w);
            printf("marker,%s,%.6f,%.6f,%.6f\n", m->marker_name[k], w[0], w[1], w[2]);
        }
    }
    free(set);
    fa_osim_pose_free(&pose);
    fa_osim_free(m);
    return rc;
}

int fa_cmd_motion(int argc, char **argv)
{
    if (argc < 3 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        printf("usage: fascia motion MODEL.osim MOTION.mot [--strict]\n\n"
               "Summary of MOTION driving MODEL: duration, rate, angle units, stride period\n"
               "and cadence (from hip_flexion_r), the range of each coordinate it drives, and\n"
               "each muscle's path-length range.\n");
        return argc < 3 ? 2 : 0;
    }
    fa_osim_motion_def def = FA_OSIM_MOTION_DEF_DEFAULT;
    if (argc > 3 && !strcmp(argv[3], "--strict")) def.strict = 1;
    fa_osim *m;
    fa_osim_motion mot;
    if (load_model(argv[1], &m)) return 1;
    if (load_motion(argv[2], &mot)) {
        fa_osim_free(m);
        return 1;
    }
    int rc = 1;
    fa_error err;
    int *map = malloc((size_t)(m->ncoord ? m->ncoord : 1) * sizeof(int));
    double *len = malloc((size_t)mot.nframe * (size_t)(m->nmuscle ? m->nmuscle : 1) * sizeof(double));
    if (!map || !len)
        fprintf(stderr, "fascia: out of memory\n");
    else if (fa_osim_motion_bind(m, &mot, &def, map, &err) != FA_OK ||
             fa_osim_muscle_lengths(m, &mot, &def, len, &err) != FA_OK)
        fprintf(stderr, "fascia: %s\n", err.msg);
    else {
        rc = 0;
        double dur = mot.time[mot.nframe - 1] - mot.time[0];
        printf("motion %s (%s)\n", mot.file, mot.name);
        printf("frames %d, time %.4f .. %.4f s, duration %.4f s, rate %.3f Hz, angles %s\n", mot.nframe, mot.time[0],
               mot.time[mot.nframe - 1], dur, fa_osim_motion_rate(&mot),
               mot.in_degrees == 0 ? "radians" : mot.in_degrees == 1 ? "degrees" : "degrees (not stated)");
        int hf = fa_osim_find_coord(m, "hip_flexion_r");
        double T = hf >= 0 && map[hf] >= 0 ? fa_osim_motion_period(&mot, map[hf], 0.4, 2.0) : 0.0;
        if (T > 0.0)
            printf("stride %.4f s (autocorrelation of hip_flexion_r), cadence %.1f steps/min, %.1f strides\n", T,
                   120.0 / T, dur / T);
        int used = 0;
        for (int q = 0; q < m->ncoord; q++) used += map[q] >= 0;
        printf("model %s: %d of %d coordinates driven, %d of %d columns used\n", m->name, used, m->ncoord, used,
               mot.ncol);
        printf("\ncoordinate,unit,min,max\n");
        for (int q = 0; q < m->ncoord; q++) {
            if (map[q] < 0) continue;
            double lo = INFINITY, hi = -INFINITY;
            for (int f = 0; f < mot.nframe; f++) {
                double v = mot.data[(size_t)f * mot.ncol + map[q]];
                if (mot.in_degrees == 0 && m->coord_motion[q] == FA_OSIM_ROTATIONAL) v *= 180.0 / 3.14159265358979323846;
                lo = v < lo ? v : lo;
                hi = v > hi ? v : hi;
            }
            const char *unit = m->coord_motion[q] == FA_OSIM_ROTATIONAL ? "deg"
                               : m->coord_motion[q] == FA_OSIM_TRANSLATIONAL ? "m"
                                                                              : "coupled";
            printf("%s,%s,%.4f,%.4f\n", m->coord_name[q], unit, lo, hi);
        }
        printf("\nmuscle,min_m,max_m,range_mm,wrap_objects\n");
        for (int i = 0; i < m->nmuscle; i++) {
            double lo = INFINITY, hi = -INFINITY;
            for (int f = 0; f < mot.nframe; f++) {
                double v = len[(size_t)f * m->nmuscle + i];
                lo = v < lo ? v : lo;
                hi = v > hi ? v : hi;
            }
            printf("%s,%.5f,%.5f,%.2f,%d\n", m->muscle_name[i], lo, hi, 1000.0 * (hi - lo), m->muscle_nwrap[i]);
        }
    }
    free(map);
    free(len);
    fa_osim_motion_free(&mot);
    fa_osim_free(m);
    return rc;
}

int fa_cmd_import(int argc, char **argv)
{
    const char *model = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: fascia import MODEL.osim [-o BODY.yaml]\n\n"
                   "Writes MODEL as a fascia body file (docs/model-format.md): bodies with their\n"
                   "parents and masses, markers as landmarks, and each muscle as a Hill element\n"
                   "between its first and last path point with its path polyline as landmarks.\n"
                   "Positions are world positions in the model's default pose. Without -o the\n"
                   "file goes to standard output.\n");
            return 0;
        } else if (!model)
            model = argv[i];
        else {
            fprintf(stderr, "fascia import: unexpected argument '%s'\n", argv[i]);
            return 2;
        }
    }
    if (!model) {
        fprintf(stderr, "usage: fascia import MODEL.osim [-o BODY.yaml]\n");
        return 2;
    }
    fa_osim *m;
    if (load_model(model, &m)) return 1;
    fa_osim_pose pose;
    fa_error err;
    int rc = 1;
    if (fa_osim_pose_init(m, &pose, &err) != FA_OK)
        fprintf(stderr, "fascia: %s\n", err.msg);
    else {
        outfile o;
        if (!out_open(&o, out)) {
            fa_status st = fa_osim_write_body_yaml(m, &pose, o.f, &err);
            if (st != FA_OK) fprintf(stderr, "fascia: %s\n", err.msg);
            rc = out_close(&o, st == FA_OK);
            if (st != FA_OK) rc = 1;
        }
        fa_osim_pose_free(&pose);
    }
    fa_osim_free(m);
    return rc;
}
