/* SPDX-License-Identifier: MIT */
/* OpenSim model -> fascia body file (docs/model-format.md).
 *
 * The body file's reference pose is the OpenSim pose given (normally the
 * default, upright standing): every position written is the world position
 * in that pose, and in the body file each body frame coincides with the world
 * at the reference pose. Bodies keep their parent tree and mass. Markers
 * become landmarks. A muscle becomes a Hill element between two
 * body-anchored nodes "<muscle>.origin" / "<muscle>.insertion" (first and
 * last active path point); its whole polyline (active via points, in order)
 * is kept as landmarks "<muscle>.p<k>", and the OpenSim path length at the
 * pose (wrapping included) is written as a comment. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "osim/osim_internal.h"

/* data/opensim/import_defaults.csv, row muscle_vmax_default (grade C). */
#define FA_OSIM_VMAX_DEFAULT 10.0

static int plain_name(const char *s)
{
    if (!s[0] || strlen(s) > 200) return 0;
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '.' || c == '-'))
            return 0;
    }
    /* YAML would read these as something other than a string */
    static const char *const reserved[] = {"true", "false", "null", "yes", "no", "on", "off", "~"};
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (!strcmp(s, reserved[i])) return 0;
    return !(s[0] == '-' || s[0] == '.' || (s[0] >= '0' && s[0] <= '9'));
}

static const char *body_ref(const fa_osim *m, int b) { return b == 0 ? "ground" : m->body_name[b]; }

static void put_vec(FILE *f, const double x[3])
{
    fprintf(f, "\"%.9g %.9g %.9g m\"", x[0] + 0.0, x[1] + 0.0, x[2] + 0.0);
}

fa_status fa_osim_write_body_yaml(const fa_osim *m, const fa_osim_pose *pose, FILE *f, fa_error *err)
{
    /* names must be plain YAML scalars */
    for (int b = 1; b < m->nbody; b++)
        if (!plain_name(m->body_name[b]))
            return fa_error_set(err, FA_ERR_UNSUPPORTED, m->file, 0, 0, "body name \"%s\" is not a plain name for a body file",
                                m->body_name[b]);
    for (int k = 0; k < m->nmarker; k++)
        if (!plain_name(m->marker_name[k]))
            return fa_error_set(err, FA_ERR_UNSUPPORTED, m->file, 0, 0, "marker name \"%s\" is not a plain name for a body file",
                                m->marker_name[k]);
    for (int i = 0; i < m->nmuscle; i++)
        if (!plain_name(m->muscle_name[i]))
            return fa_error_set(err, FA_ERR_UNSUPPORTED, m->file, 0, 0, "muscle name \"%s\" is not a plain name for a body file",
                                m->muscle_name[i]);

    fprintf(f, "# Imported by `fascia import` from OpenSim model \"%s\" (%s, format %d).\n", m->name, m->file, m->version);
    fprintf(f, "# Reference pose: the OpenSim pose given to the importer (default: every coordinate at its\n"
               "# default value, upright standing). Positions are world positions in that pose, OpenSim\n"
               "# ground frame: +Y up, +X forward, +Z to the subject's right.\n"
               "# Muscles: Hill elements from the first to the last active path point (nodes\n"
               "# <muscle>.origin / <muscle>.insertion); the full path polyline is kept as landmarks\n"
               "# <muscle>.p<k>. vmax: the model's max_contraction_velocity, else %g optimal lengths/s\n"
               "# (data/opensim/import_defaults.csv, grade C).\n",
            FA_OSIM_VMAX_DEFAULT);

    if (m->nbody > 1) {
        fprintf(f, "\nbodies:\n");
        for (int b = 1; b < m->nbody; b++) {
            int j = m->body_joint[b];
            fprintf(f, "  %s: {parent: %s, mass: %.9g kg}", m->body_name[b], body_ref(m, m->joint_parent[j]),
                    m->body_mass[b]);
            fprintf(f, "  # joint %s (%s), origin at ", m->joint_name[j], m->joint_type[j]);
            fprintf(f, "%.6f %.6f %.6f m\n", pose->body_p[3 * b], pose->body_p[3 * b + 1], pose->body_p[3 * b + 2]);
        }
    }

    int nmus = 0;
    for (int i = 0; i < m->nmuscle; i++)
        if (m->muscle_fmax[i] > 0 && m->muscle_lopt[i] > 0) nmus++;
    if (m->nmarker > 0 || nmus > 0) {
        fprintf(f, "\nlandmarks:\n");
        for (int k = 0; k < m->nmarker; k++) {
            double w[3];
            fa_osim_marker_world(m, pose, k, w);
            fprintf(f, "  %s: {body: %s, position: ", m->marker_name[k], body_ref(m, m->marker_body[k]));
            put_vec(f, w);
            fprintf(f, "}\n");
        }
        for (int i = 0; i < m->nmuscle; i++) {
            if (!(m->muscle_fmax[i] > 0 && m->muscle_lopt[i] > 0)) continue;
            int n = 0;
            for (int k = m->muscle_point_adr[i]; k < m->muscle_point_adr[i] + m->muscle_point_num[i]; k++) {
                double loc[3], w[3];
                if (!fa_osim_point_local(m, pose, k, loc)) continue;
                fa_osim_point_world(pose, m->point_body[k], loc, w);
                fprintf(f, "  %s.p%d: {body: %s, position: ", m->muscle_name[i], n++, body_ref(m, m->point_body[k]));
                put_vec(f, w);
                fprintf(f, "}\n");
            }
        }
    }

    if (nmus > 0) {
        fprintf(f, "\nnodes:\n");
        for (int i = 0; i < m->nmuscle; i++) {
            if (!(m->muscle_fmax[i] > 0 && m->muscle_lopt[i] > 0)) continue;
            int first = -1, last = -1;
            double wf[3] = {0, 0, 0}, wl[3] = {0, 0, 0};
            for (int k = m->muscle_point_adr[i]; k < m->muscle_point_adr[i] + m->muscle_point_num[i]; k++) {
                double loc[3];
                if (!fa_osim_point_local(m, pose, k, loc)) continue;
                if (first < 0) {
                    first = k;
                    fa_osim_point_world(pose, m->point_body[k], loc, wf);
                }
                last = k;
                fa_osim_point_world(pose, m->point_body[k], loc, wl);
            }
            fprintf(f, "  %s.origin: {body: %s, position: ", m->muscle_name[i], body_ref(m, m->point_body[first]));
            put_vec(f, wf);
            fprintf(f, "}\n  %s.insertion: {body: %s, position: ", m->muscle_name[i], body_ref(m, m->point_body[last]));
            put_vec(f, wl);
            fprintf(f, "}\n");
        }
        fprintf(f, "\nmuscles:\n");
        for (int i = 0; i < m->nmuscle; i++) {
            if (!(m->muscle_fmax[i] > 0 && m->muscle_lopt[i] > 0)) continue;
            double vmax = m->muscle_vmax[i] > 0 ? m->muscle_vmax[i] : FA_OSIM_VMAX_DEFAULT;
            double lts = m->muscle_lts[i] >= 0 ? m->muscle_lts[i] : 0.0;
            fprintf(f, "  %s: {nodes: [%s.origin, %s.insertion], fmax: %.9g N, optimal_length: %.9g m, vmax: %.9g /s, "
                       "slack_length: %.9g m}\n",
                    m->muscle_name[i], m->muscle_name[i], m->muscle_name[i], m->muscle_fmax[i], m->muscle_lopt[i], vmax, lts);
            fprintf(f, "    # %s, %d path points, %d wrap object%s; OpenSim path length at this pose %.6f m\n",
                    m->muscle_type[i], m->muscle_point_num[i], m->muscle_nwrap[i], m->muscle_nwrap[i] == 1 ? "" : "s",
                    fa_osim_muscle_length(m, pose, i));
        }
    }
    int skipped = 0;
    for (int i = 0; i < m->nmuscle; i++)
        if (!(m->muscle_fmax[i] > 0 && m->muscle_lopt[i] > 0)) {
            if (!skipped++) fprintf(f, "\n# Paths that are not muscles (no max_isometric_force / optimal_fiber_length), not imported:\n");
            fprintf(f, "#   %s (%s), path length %.6f m at this pose\n", m->muscle_name[i], m->muscle_type[i],
                    fa_osim_muscle_length(m, pose, i));
        }
    if (ferror(f)) return fa_error_set(err, FA_ERR_IO, NULL, 0, 0, "error writing the body file");
    return FA_OK;
}
