/* SPDX-License-Identifier: MIT */
/* Legacy-VTK writer: the network's current shape with per-element fields,
 * for ParaView. ASCII, %.9g, written atomically (fa_afile: temporary, then
 * rename). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "fascia/measure.h"
#include "fascia/report.h"

static void cell_field(FILE *f, const fa_model *m, const char *name, const double *v)
{
    fprintf(f, "SCALARS %s double 1\nLOOKUP_TABLE default\n", name);
    for (int e = 0; e < m->nelem; e++) {
        fa_kind k = fa_elem_kind(m, e, NULL);
        if (k == FA_INTERFACE) continue;
        fprintf(f, "%.9g\n", v[e]);
    }
}

fa_status fa_write_vtk(const fa_model *m, const fa_data *d, const char *path, fa_error *err)
{
    if (!m || !d || !path) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "fa_write_vtk: NULL argument");
    fa_afile af;
    fa_status st = fa_afile_open(&af, path, err);
    if (st != FA_OK) return st;
    FILE *f = af.f;
    int ncell = m->ncord + m->nmem + m->nmuscle;
    int nint = 3 * m->ncord + 4 * m->nmem + 3 * m->nmuscle;
    fprintf(f, "# vtk DataFile Version 3.0\nfascia network\nASCII\nDATASET UNSTRUCTURED_GRID\n");
    fprintf(f, "POINTS %d double\n", m->nnode);
    for (int i = 0; i < m->nnode; i++)
        fprintf(f, "%.9g %.9g %.9g\n", d->x[3 * i], d->x[3 * i + 1], d->x[3 * i + 2]);
    fprintf(f, "CELLS %d %d\n", ncell, nint);
    for (int e = 0; e < m->nelem; e++) {
        int nodes[3];
        fa_kind k = fa_elem_kind(m, e, NULL);
        if (k == FA_INTERFACE) continue;
        int nn = fa_elem_nodes(m, e, nodes);
        fprintf(f, "%d", nn);
        for (int a = 0; a < nn; a++) fprintf(f, " %d", nodes[a]);
        fputc('\n', f);
    }
    fprintf(f, "CELL_TYPES %d\n", ncell);
    for (int e = 0; e < m->nelem; e++) {
        fa_kind k = fa_elem_kind(m, e, NULL);
        if (k == FA_INTERFACE) continue;
        fprintf(f, "%d\n", k == FA_MEMBRANE ? 5 : 3); /* VTK_TRIANGLE, VTK_LINE */
    }
    fprintf(f, "POINT_DATA %d\nVECTORS displacement double\n", m->nnode);
    for (int i = 0; i < m->nnode; i++)
        fprintf(f, "%.9g %.9g %.9g\n", d->x[3 * i] - m->node_pos0[3 * i],
                d->x[3 * i + 1] - m->node_pos0[3 * i + 1], d->x[3 * i + 2] - m->node_pos0[3 * i + 2]);
    fprintf(f, "CELL_DATA %d\nSCALARS kind int 1\nLOOKUP_TABLE default\n", ncell);
    for (int e = 0; e < m->nelem; e++) {
        fa_kind k = fa_elem_kind(m, e, NULL);
        if (k != FA_INTERFACE) fprintf(f, "%d\n", (int)k);
    }
    cell_field(f, m, "strain", d->elem_strain);
    cell_field(f, m, "stress", d->elem_stress);
    cell_field(f, m, "force", d->elem_force);
    cell_field(f, m, "energy", d->elem_energy);
    cell_field(f, m, "hydration", d->tis_hyd);
    cell_field(f, m, "crosslinks", d->tis_xlink);
    cell_field(f, m, "damage", d->tis_damage);
    cell_field(f, m, "tone", d->tis_tone);
    return fa_afile_commit(&af, err);
}
