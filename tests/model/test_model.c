/* SPDX-License-Identifier: MIT */
/* Model stage: good body files compile to the expected counts and values.
 * Unit conversions are checked for exact equality with the correctly
 * rounded decimal (the parser shifts the decimal exponent, so "1.1 mm" is
 * the double nearest 1.1e-3); generated geometry against closed forms. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "fascia/load.h"
#include "fascia/model.h"
#include "harness.h"
#include "model/spec.h"
#include "model/units.h"

#define PI 3.14159265358979323846

static int node(const fa_model *m, const char *name)
{
    int i = fa_model_lookup(m, "node", name);
    CHECK_MSG(i >= 0, "node %s not found", name);
    return i < 0 ? 0 : i;
}

static void test_units(void)
{
    double v;
    fa_dim d;
    CHECK(fa_parse_quantity("1.1 mm", FA_DIM_LENGTH, &v, &d) == FA_Q_OK && v == 1.1e-3);
    CHECK(fa_parse_quantity("450 MPa", FA_DIM_PRESSURE, &v, &d) == FA_Q_OK && v == 450e6);
    CHECK(fa_parse_quantity("1.2 kPa", FA_DIM_PRESSURE, &v, &d) == FA_Q_OK && v == 1200.0);
    CHECK(fa_parse_quantity("20 ms", FA_DIM_TIME, &v, &d) == FA_Q_OK && v == 0.02);
    CHECK(fa_parse_quantity("3 kg", FA_DIM_MASS, &v, &d) == FA_Q_OK && v == 3.0);
    CHECK(fa_parse_quantity("10 deg", FA_DIM_ANGLE, &v, &d) == FA_Q_OK && v == 10 * (PI / 180.0));
    CHECK(fa_parse_quantity("2 min", FA_DIM_TIME, &v, &d) == FA_Q_OK && v == 120.0);
    CHECK(fa_parse_quantity("-0.5mm", FA_DIM_LENGTH, &v, &d) == FA_Q_OK && v == -0.5e-3);
    CHECK(fa_parse_quantity("1.5e2 um", FA_DIM_LENGTH, &v, &d) == FA_Q_OK && v == 1.5e-4);
    CHECK(fa_parse_quantity("20 mm^2", FA_DIM_AREA, &v, &d) == FA_Q_OK && v == 20e-6);
    CHECK(fa_parse_quantity("1.1 g/cm^3", FA_DIM_DENSITY, &v, &d) == FA_Q_OK && v == 1100.0);
    CHECK(fa_parse_quantity("3 %", FA_DIM_NONE, &v, &d) == FA_Q_OK && v == 0.03);
    CHECK(fa_parse_quantity("0.3", FA_DIM_NONE, &v, &d) == FA_Q_OK && v == 0.3);
    CHECK(fa_parse_quantity("1 cP", FA_DIM_VISCOSITY, &v, &d) == FA_Q_OK && v == 1e-3);
    CHECK(fa_parse_quantity("37 degC", FA_DIM_TEMP, &v, &d) == FA_Q_OK && v == 37.0);
    /* failures */
    CHECK(fa_parse_quantity("3", FA_DIM_LENGTH, &v, &d) == FA_Q_NOUNIT);
    CHECK(fa_parse_quantity("3 kg", FA_DIM_LENGTH, &v, &d) == FA_Q_WRONGDIM && d == FA_DIM_MASS);
    CHECK(fa_parse_quantity("3 mm", FA_DIM_NONE, &v, &d) == FA_Q_WRONGDIM && d == FA_DIM_LENGTH);
    CHECK(fa_parse_quantity("3 furlong", FA_DIM_LENGTH, &v, &d) == FA_Q_BADUNIT);
    CHECK(fa_parse_quantity("nan mm", FA_DIM_LENGTH, &v, &d) == FA_Q_NOTNUM);
    CHECK(fa_parse_quantity("inf", FA_DIM_NONE, &v, &d) == FA_Q_NOTNUM);
    CHECK(fa_parse_quantity("0x10 m", FA_DIM_LENGTH, &v, &d) == FA_Q_BADUNIT); /* "0" then unit "x10 m" */
    CHECK(fa_parse_quantity("1e999 m", FA_DIM_LENGTH, &v, &d) == FA_Q_RANGE);
    CHECK(fa_parse_quantity("1e308 km", FA_DIM_LENGTH, &v, &d) == FA_Q_BADUNIT);
    CHECK(fa_parse_quantity("1e308 GPa", FA_DIM_PRESSURE, &v, &d) == FA_Q_RANGE); /* overflow after scaling */
    CHECK(fa_parse_quantity("", FA_DIM_NONE, &v, &d) == FA_Q_NOTNUM);
    CHECK(fa_parse_quantity(".", FA_DIM_NONE, &v, &d) == FA_Q_NOTNUM);
    CHECK(fa_parse_number(" 12.5 ", &v) == FA_Q_OK && v == 12.5);
    CHECK(fa_parse_number("12.5x", &v) == FA_Q_NOTNUM);
    /* suggestions */
    const char *cand[] = {"thickness", "material", "fibre"};
    CHECK(fa_closest_name("thicknes", cand, 3) == cand[0]);
    CHECK(fa_closest_name("fiber", cand, 3) == cand[2]);
    CHECK(fa_closest_name("zzzzzz", cand, 3) == NULL);
}

static void test_basic(void)
{
    fa_model *m = NULL;
    fa_error err;
    fa_status st = fa_model_load("tests/model/good/basic.yaml", &m, &err);
    CHECK_MSG(st == FA_OK, "%s", err.msg);
    if (st != FA_OK) return;
    CHECK(m->nmat == 2 && m->nprony == 2 && m->nbody == 2 && m->nlandmark == 1);
    CHECK(m->nnode == 3 + 12 + 12 + 24);
    CHECK(m->ncord == 1 + 2 + 2);
    CHECK(m->nmem == 2 * 3 * 2 + 2 * 8 * 2);
    CHECK(m->nintf == 12);
    CHECK(m->nmuscle == 1);
    CHECK(m->nelem == m->ncord + m->nmem + m->nintf + m->nmuscle);
    /* materials: exact conversions */
    int sh = fa_model_lookup(m, "material", "sheet"), bd = fa_model_lookup(m, "material", "band");
    CHECK(sh == 0 && bd == 1);
    CHECK(m->mat_E[sh] == 450e6 && m->mat_E[bd] == 1e9);
    CHECK(m->mat_toe[sh] == 0.03 && m->mat_toe[bd] == 0.02);
    CHECK(m->mat_Em[sh] == 1200.0 && m->mat_Em[bd] == 0.0);
    CHECK(m->mat_nu[sh] == 0.3);
    CHECK(m->mat_rho[sh] == 1100.0 && m->mat_rho[bd] == 1100.0);
    CHECK(m->mat_fail[sh] == 0.14);
    CHECK(m->mat_beta[sh] == 0.02 && m->mat_beta[bd] == 0.0);
    CHECK(m->mat_fib2_angle[sh] == 78 * (PI / 180.0) && m->mat_fib2_frac[sh] == 0.5);
    CHECK(m->mat_prony_num[sh] == 2 && m->mat_prony_num[bd] == 0);
    CHECK(m->prony_g[m->mat_prony_adr[sh]] == 0.2 && m->prony_tau[m->mat_prony_adr[sh]] == 1.0);
    CHECK(m->prony_g[m->mat_prony_adr[sh] + 1] == 0.1 && m->prony_tau[m->mat_prony_adr[sh] + 1] == 120.0);
    CHECK(m->mat_grade[sh] == 'B' && m->mat_grade[bd] == 'C');
    CHECK(!strcmp(fa_model_name(m, m->mat_cite[sh]), "Test2026"));
    /* bodies, landmarks */
    int pel = fa_model_lookup(m, "body", "pelvis"), fem = fa_model_lookup(m, "body", "femur");
    CHECK(pel == 0 && fem == 1 && m->body_parent[fem] == pel && m->body_parent[pel] == -1);
    CHECK(m->body_mass[fem] == 9.3 && m->body_mass[pel] == 3.0);
    int asis = fa_model_lookup(m, "landmark", "asis");
    CHECK(asis == 0 && m->landmark_body[asis] == pel);
    CHECK(m->landmark_pos[0] == 0.1 && m->landmark_pos[1] == 0.05 && m->landmark_pos[2] == 1.0);
    /* explicit nodes */
    int top = node(m, "top"), bot = node(m, "bottom"), mid = node(m, "mid");
    CHECK(m->node_body[top] == fem && m->node_body[bot] == -2 && m->node_body[mid] == -1);
    CHECK(m->node_pos0[3 * top + 2] == 1.1 && m->node_pos0[3 * bot + 2] == 0.9);
    CHECK(m->node_pos0[3 * mid + 1] == 0.01 && m->node_pos0[3 * mid + 2] == 1.0);
    CHECK(m->node_local[3 * top + 2] == 1.1);
    CHECK(m->node_mass[mid] >= 0.02);
    /* generated nodes: rect corner and cylinder */
    int p32 = node(m, "patch.3.2");
    CHECK(m->node_pos0[3 * p32] == 0.03 && m->node_pos0[3 * p32 + 1] == 0.02 &&
          m->node_pos0[3 * p32 + 2] == 0.0);
    CHECK(m->node_body[node(m, "patch.0.1")] == -2 && m->node_body[node(m, "patch.1.1")] == -1);
    CHECK(m->node_body[node(m, "base.2.2")] == -2);
    int t00 = node(m, "tube.0.0"), t22 = node(m, "tube.2.2");
    CHECK_NEAR(m->node_pos0[3 * t00], 0.1, 1e-15);
    CHECK_NEAR(m->node_pos0[3 * t00 + 1], 0.0, 1e-15);
    CHECK(m->node_pos0[3 * t00 + 2] == 2.0);
    CHECK_NEAR(m->node_pos0[3 * t22], 0.1 * cos(2 * PI * 2 / 8), 1e-15);
    CHECK_NEAR(m->node_pos0[3 * t22 + 1], 0.1 * sin(2 * PI * 2 / 8), 1e-15);
    CHECK_NEAR(m->node_pos0[3 * t22 + 2], 2.2, 1e-15);
    CHECK(m->node_body[t00] == -2 && m->node_body[t22] == pel && m->node_body[node(m, "tube.5.1")] == -1);
    CHECK(fa_model_mesh_node(m, "tube", 2, 2) == t22);
    CHECK(fa_model_mesh_node(m, "tube", 8, 0) == -1);
    /* cords */
    int tie = fa_model_lookup(m, "cord", "tie");
    CHECK(tie == 0 && m->cord_area[tie] == 20e-6 && m->cord_prestrain[tie] == 0.01 && m->cord_mat[tie] == bd);
    CHECK(m->cord_node[0] == top && m->cord_node[1] == mid);
    int c1 = fa_model_lookup(m, "cord", "chain.1");
    CHECK(c1 == 2 && m->cord_node[2 * c1] == bot && m->cord_node[2 * c1 + 1] == p32);
    CHECK(m->cord_area[c1] == 1e-6);
    int s1 = fa_model_lookup(m, "cord", "stripe.1");
    CHECK(s1 == 4 && m->cord_node[2 * s1] == node(m, "tube.2.1") && m->cord_node[2 * s1 + 1] == t22);
    CHECK(fa_model_lookup(m, "cord", "stripe.2") == -1);
    /* rest length from finalize: L0 = |x1 - x0| / (1 + prestrain) or similar: within 1% of the distance */
    double dz = m->node_pos0[3 * top + 2] - m->node_pos0[3 * mid + 2];
    double dy = m->node_pos0[3 * top + 1] - m->node_pos0[3 * mid + 1];
    CHECK_REL(m->cord_L0[tie], sqrt(dz * dz + dy * dy), 0.011);
    /* membranes: circumferential fibres on the tube are horizontal unit vectors */
    double area = 0;
    for (int t = 0; t < m->nmem; t++) {
        const double *f = m->mem_fibre + 3 * t;
        CHECK_NEAR(f[0] * f[0] + f[1] * f[1] + f[2] * f[2], 1.0, 1e-12);
        if (t >= 12)
            CHECK_NEAR(f[2], 0.0, 1e-12);
        else
            CHECK_NEAR(f[0], 1.0, 1e-12); /* rect fibre at 0 deg = u = x */
        if (t < 12) area += m->mem_area0[t];
        CHECK(m->mem_thick[t] == (t < 12 ? 1.1e-3 : 1e-3));
    }
    CHECK_REL(area, 0.03 * 0.02, 1e-12);
    /* interfaces: each patch node over its base twin, tributary areas add up */
    double ia = 0;
    for (int i = 0; i < m->nintf; i++) {
        int a = m->intf_node[2 * i], b = m->intf_node[2 * i + 1];
        CHECK_NEAR(m->node_pos0[3 * a] - m->node_pos0[3 * b], 0.0, 1e-15);
        CHECK_NEAR(m->node_pos0[3 * a + 2] - m->node_pos0[3 * b + 2], 1e-3, 1e-15);
        CHECK_NEAR(m->intf_normal[3 * i + 2], 1.0, 1e-12);
        CHECK(m->intf_G[i] == 1200.0 && m->intf_h[i] == 5e-4 && m->intf_eta[i] == 1.0 &&
              m->intf_kn[i] == 100.0);
        ia += m->intf_area[i];
    }
    CHECK_REL(ia, 0.03 * 0.02, 1e-12);
    /* muscle */
    int q = fa_model_lookup(m, "muscle", "quad");
    CHECK(q == 0 && m->muscle_fmax[q] == 1500.0 && m->muscle_lopt[q] == 0.09 && m->muscle_vmax[q] == 10.0 &&
          m->muscle_lslack[q] == 0.1);
    CHECK(m->muscle_node[0] == mid && m->muscle_node[1] == top);
    int eq = fa_model_lookup(m, "element", "quad");
    CHECK(eq == m->ncord + m->nmem + m->nintf);
    CHECK(fa_model_lookup(m, "element", "chain.0") == 1);
    /* lines and regions */
    int ln = fa_model_lookup(m, "line", "lateral");
    CHECK(ln == 0 && m->line_num[ln] == 4 && m->line_grade[ln] == 'B');
    CHECK(m->line_elem[0] == 0 && m->line_elem[1] == 1 && m->line_elem[2] == 2 && m->line_elem[3] == eq);
    int rs = fa_model_lookup(m, "region", "sheets"), rc = fa_model_lookup(m, "region", "chain1");
    CHECK(m->region_num[rs] == 44 && m->region_num[rc] == 13);
    CHECK(m->region_elem[m->region_adr[rc]] == c1);
    CHECK(m->region_elem[m->region_adr[rc] + 1] == m->ncord + m->nmem);
    /* selectors: tube quads between rings 1..2 and columns 2..5; patch interfaces of the last column */
    int rt = fa_model_lookup(m, "region", "tube_top"), rp = fa_model_lookup(m, "region", "patch_edge");
    CHECK(m->region_num[rt] == 6 && m->region_num[rp] == 3);
    for (int k = 0; k < m->region_num[rt]; k++) {
        int nodes[3], e = m->region_elem[m->region_adr[rt] + k];
        CHECK(fa_elem_nodes(m, e, nodes) == 3);
        for (int a = 0; a < 3; a++) {
            const char *nm = fa_model_name(m, m->node_name[nodes[a]]);
            int i = -1, j = -1;
            CHECK(sscanf(nm, "tube.%d.%d", &i, &j) == 2 && i >= 2 && i <= 5 && j >= 1 && j <= 2);
        }
    }
    for (int k = 0; k < m->region_num[rp]; k++) {
        int nodes[3], e = m->region_elem[m->region_adr[rp] + k];
        CHECK(fa_elem_nodes(m, e, nodes) == 2);
        CHECK(!strncmp(fa_model_name(m, m->node_name[nodes[0]]), "patch.3.", 8));
    }
    /* options */
    CHECK(m->opt.timestep == 5e-4 && m->opt.temperature == 36.0 && m->opt.damping == 2.0);
    /* determinism: file and string give the same model, twice */
    FILE *f = fopen("tests/model/good/basic.yaml", "rb");
    char *text = NULL;
    if (f) {
        text = (char *)calloc(1, 1 << 16);
        size_t n = text ? fread(text, 1, (1 << 16) - 1, f) : 0;
        (void)n;
        fclose(f);
    }
    fa_model *m2 = NULL;
    CHECK(text && fa_model_load_string(text, "tests/model/good/basic.yaml", &m2, &err) == FA_OK);
    if (m2) CHECK(fa_model_hash(m2) == fa_model_hash(m));
    fa_model_free(m2);
    free(text);
    fa_model_free(m);
}

static void test_shirt(void)
{
    fa_model *m = NULL;
    fa_error err;
    fa_status st = fa_model_load("data/bodies/shirt.yaml", &m, &err);
    CHECK_MSG(st == FA_OK, "%s", err.msg);
    if (st != FA_OK) return;
    CHECK(m->nnode == 2 * 64 * 48);
    CHECK(m->nmem == 2 * 64 * 47);
    CHECK(m->nintf == 64 * 48);
    CHECK(m->ncord == 0 && m->nmuscle == 0);
    /* area of the inscribed 64-gon prism: N chords 2R sin(pi/N) times the height H */
    double R = 0.15, H = 0.5, A = 64 * 2 * R * sin(PI / 64) * H, area = 0;
    for (int t = 0; t < m->nmem; t++) {
        area += m->mem_area0[t];
        /* axial fibres: every triangle contains a vertical edge, so the fibre is exactly +y (up) */
        CHECK_NEAR(m->mem_fibre[3 * t + 1], 1.0, 1e-12);
    }
    CHECK_REL(area, A, 1e-12);
    CHECK_REL(fa_model_total_mass(m), A * 0.924e-3 * 1120.0, 1e-12);
    /* body frame: +x front, +y up, +z right; i = 0 front, 16 left, 32 back, 48 right */
    int back = fa_model_mesh_node(m, "shirt", 32, 47), hem = fa_model_mesh_node(m, "shirt", 32, 0);
    int left = fa_model_mesh_node(m, "shirt", 16, 0), right = fa_model_mesh_node(m, "shirt", 48, 0);
    CHECK(back >= 0 && hem >= 0 && left >= 0 && right >= 0);
    CHECK_NEAR(m->node_pos0[3 * back], -0.15, 1e-15);
    CHECK_NEAR(m->node_pos0[3 * back + 1], 1.5, 1e-15);
    CHECK_NEAR(m->node_pos0[3 * back + 2], 0.0, 1e-15);
    CHECK_NEAR(m->node_pos0[3 * hem + 1], 1.0, 1e-15);
    CHECK_NEAR(m->node_pos0[3 * left + 2], -0.15, 1e-15);
    CHECK_NEAR(m->node_pos0[3 * right + 2], 0.15, 1e-15);
    CHECK(m->node_body[back] == -1 && m->node_body[fa_model_mesh_node(m, "skin", 32, 47)] == -2);
    /* every shirt node glides over its own skin twin, 43 um inside it */
    int ok = 1;
    double ia = 0;
    for (int i = 0; i < m->nintf; i++) {
        int a = m->intf_node[2 * i], b = m->intf_node[2 * i + 1];
        const char *na = fa_model_name(m, m->node_name[a]), *nb = fa_model_name(m, m->node_name[b]);
        if (strncmp(na, "shirt.", 6) || strncmp(nb, "skin.", 5) || strcmp(na + 6, nb + 5)) ok = 0;
        double rx = m->intf_normal[3 * i], rz = m->intf_normal[3 * i + 2];
        double px = m->node_pos0[3 * a], pz = m->node_pos0[3 * a + 2];
        if (fabs(rx * px + rz * pz - R) > 1e-3 * R || fabs(m->intf_normal[3 * i + 1]) > 1e-12)
            ok = 0; /* outward radial */
        ia += m->intf_area[i];
    }
    CHECK(ok);
    CHECK_REL(ia, A, 1e-12);
    CHECK(m->nregion == 5 && m->region_num[0] == m->nmem && m->region_num[1] == m->nintf);
    CHECK(m->region_num[fa_model_lookup(m, "region", "collar")] == 3 * 64 * 2);
    CHECK(m->region_num[fa_model_lookup(m, "region", "hem")] == 3 * 64 * 2);
    CHECK(m->region_num[fa_model_lookup(m, "region", "back_glide")] == 17 * 48);
    /* the back column line runs hem -> collar: element centroids rise (+y) monotonically by quad row */
    int bl = fa_model_lookup(m, "line", "back_column");
    CHECK(bl == 0 && m->line_num[bl] == 2 * 2 * 47 && m->line_grade[bl] == 'C');
    double zprev = -1;
    int mono = 1;
    for (int k = 0; k < m->line_num[bl]; k += 4) { /* 4 triangles per quad row */
        int nodes[3], e = m->line_elem[m->line_adr[bl] + k];
        fa_elem_nodes(m, e, nodes);
        double z = (m->node_pos0[3 * nodes[0] + 1] + m->node_pos0[3 * nodes[1] + 1] +
                    m->node_pos0[3 * nodes[2] + 1]) /
                   3;
        if (!(z > zprev)) mono = 0;
        zprev = z;
    }
    CHECK(mono);
    fa_model *b = NULL;
    st = fa_model_load("data/bodies/shirt-band.yaml", &b, &err);
    CHECK_MSG(st == FA_OK, "%s", err.msg);
    if (st == FA_OK) {
        CHECK(b->ncord == 47 && b->nnode == m->nnode && b->nmem == m->nmem);
        int c0 = fa_model_lookup(b, "cord", "band.0"), c46 = fa_model_lookup(b, "cord", "band.46");
        CHECK(c0 == 0 && c46 == 46);
        CHECK(b->cord_node[0] == fa_model_mesh_node(b, "shirt", 48, 0));
        CHECK(b->cord_node[2 * 46 + 1] == fa_model_mesh_node(b, "shirt", 48, 47));
        CHECK(b->cord_area[0] == 16.4e-6 && b->mat_E[b->cord_mat[0]] == 350e6);
        int lb = fa_model_lookup(b, "line", "lateral_band");
        CHECK(b->nline == 2 && lb == 1 && b->line_num[lb] == 47 && b->line_grade[lb] == 'B');
        CHECK(b->line_elem[b->line_adr[lb]] == c0 && b->line_elem[b->line_adr[lb] + 46] == c46);
        CHECK(fa_model_hash(b) != fa_model_hash(m));
    }
    fa_model_free(b);
    fa_model_free(m);
}

static void test_include(void)
{
    fa_model *m = NULL;
    fa_error err;
    fa_status st = fa_model_load("tests/model/good/included.yaml", &m, &err);
    CHECK_MSG(st == FA_OK, "%s", err.msg);
    if (st != FA_OK) return;
    /* the included file's entities come first */
    CHECK(fa_model_lookup(m, "material", "tendon") == 0 && fa_model_lookup(m, "material", "sheet") == 1);
    CHECK(m->mat_E[0] == 1.2e9 && m->mat_E[1] == 150e6 && m->mat_toe[1] == 0.02);
    CHECK(m->nnode == 4 && m->ncord == 1 && m->nmem == 2 && m->nmuscle == 1);
    CHECK(fa_model_lookup(m, "node", "anchor") == 0 && fa_model_lookup(m, "node", "calf") == 3);
    CHECK(m->cord_area[0] == 60e-6 && m->node_pos0[3 * 1 + 2] == -0.25);
    CHECK(m->muscle_fmax[0] == 3500.0 && m->muscle_lopt[0] == 0.044 && m->muscle_vmax[0] == 6.0);
    CHECK(m->nline == 1 && m->line_num[0] == 4);
    for (int k = 0; k < 4; k++)
        CHECK(m->line_elem[k] == k); /* cord, 2 membranes, muscle */
    CHECK(m->nregion == 1 && m->region_num[0] == 3);
    /* a file reached twice through includes is read once */
    fa_model *d = NULL;
    st = fa_model_load("tests/model/good/diamond.yaml", &d, &err);
    CHECK_MSG(st == FA_OK, "%s", err.msg);
    if (d) CHECK(fa_model_hash(d) == fa_model_hash(m));
    fa_model_free(d);
    fa_model_free(m);
}

static const char *const MAT =
    "materials:\n"
    "  m: {E: 1 MPa, toe_strain: 0, matrix_E: 0 Pa, nu: 0.3, density: 1000 kg/m^3, failure_strain: 0.1,"
    " grade: C, cite: x}\n";

static int expect_fail_ = 0;

static fa_model *load_inline(const char *body)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s%s", MAT, body);
    fa_model *m = NULL;
    fa_error err;
    fa_status st = fa_model_load_string(buf, "inline.yaml", &m, &err);
    CHECK_MSG(st == FA_OK || expect_fail_, "%s", err.msg);
    return m;
}

static void test_generators(void)
{
    /* helical fibres at 30 deg from the axis: every quad is a planar
     * rectangle containing the axis and the chord at its centre angle, so the
     * fibre is exactly cos(30) z + sin(30) e_theta */
    fa_model *m =
        load_inline("meshes:\n"
                    "  h: {type: cylinder, center: \"0 0 0 m\", radius: 5 cm, height: 10 cm, segments: 12,"
                    " rings: 4, material: m, thickness: 1 mm, fibre: 30 deg, fixed: true}\n");
    if (m) {
        CHECK(m->nmem == 2 * 12 * 3);
        for (int t = 0; t < m->nmem; t++) {
            const double *f = m->mem_fibre + 3 * t;
            CHECK_NEAR(f[2], cos(PI / 6), 1e-12);
            /* horizontal part is tangential: parallel to the triangle's horizontal edge (a chord
             * of the ring, parallel to e_theta at the quad's centre angle) */
            const int *n = m->mem_node + 3 * t;
            int hz = 0;
            for (int a = 0; a < 3; a++) {
                int p0 = n[a], p1 = n[(a + 1) % 3];
                if (m->node_pos0[3 * p0 + 2] != m->node_pos0[3 * p1 + 2]) continue;
                double ex = m->node_pos0[3 * p1] - m->node_pos0[3 * p0];
                double ey = m->node_pos0[3 * p1 + 1] - m->node_pos0[3 * p0 + 1];
                CHECK_NEAR((f[0] * ey - f[1] * ex) / sqrt(ex * ex + ey * ey), 0.0, 1e-12);
                hz++;
            }
            CHECK(hz == 1);
            CHECK_NEAR(f[0] * f[0] + f[1] * f[1], 0.25, 1e-12);
        }
        /* triangles are counter-clockwise seen from outside: normals point away from the axis */
        for (int t = 0; t < m->nmem; t++) {
            const int *n = m->mem_node + 3 * t;
            double e1[3], e2[3];
            for (int k = 0; k < 3; k++) {
                e1[k] = m->node_pos0[3 * n[1] + k] - m->node_pos0[3 * n[0] + k];
                e2[k] = m->node_pos0[3 * n[2] + k] - m->node_pos0[3 * n[0] + k];
            }
            double nx = e1[1] * e2[2] - e1[2] * e2[1], ny = e1[2] * e2[0] - e1[0] * e2[2];
            CHECK(nx * m->node_pos0[3 * n[0]] + ny * m->node_pos0[3 * n[0] + 1] > 0);
        }
        fa_model_free(m);
    }
    /* explicit interface pairs: tributary area and normal from the sheet's
     * triangles by default, the given ones otherwise; a rect sheet with a
     * tilted u/v frame */
    expect_fail_ = 1;
    m = load_inline(
        "meshes:\n"
        "  s: {type: rect, origin: \"0 0 0 m\", u: [1, 0, 0], v: [0, 1, 1], width: 2 cm, height: 2 cm,"
        " nu: 3, nv: 3, material: m, thickness: 1 mm, fibre: 90 deg}\n"
        "nodes:\n"
        "  under: {position: \"0.01 0 -0.001 m\", fixed: true}\n"
        "  below: {position: \"0 0 -0.001 m\", fixed: true}\n"
        "interfaces:\n"
        "  a: {pairs: [[s.1.1, under]], shear_modulus: 1 kPa, thickness: 1 mm, viscosity: 1 Pa s,"
        " normal_stiffness: 1 N/m, grade: C, cite: x}\n"
        "  b: {pairs: [[s.0.0, below]], area: 3 mm^2, normal: [0, 0, 2], shear_modulus: 1 kPa,"
        " thickness: 1 mm, viscosity: 1 Pa s, normal_stiffness: 1 N/m, grade: C, cite: x}\n"
        "  c: {between: {sheet: s, substrate: s, tolerance: 1 mm}, shear_modulus: 1 kPa,"
        " thickness: 1 mm, viscosity: 1 Pa s, normal_stiffness: 1 N/m, grade: C, cite: x}\n");
    expect_fail_ = 0;
    /* c would pair nodes of s with other nodes of s within 1 mm: they are 1 cm apart, none */
    CHECK(m == NULL);
    fa_model_free(m);
    fa_error err;
    fa_model *bad = NULL;
    char buf[4096];
    snprintf(buf, sizeof buf, "%s%s", MAT,
             "meshes:\n"
             "  s: {type: rect, origin: \"0 0 0 m\", u: [1, 0, 0], v: [0, 1, 1], width: 2 cm, height: 2 cm,"
             " nu: 3, nv: 3, material: m, thickness: 1 mm, fibre: 90 deg}\n"
             "nodes:\n"
             "  under: {position: \"0.01 0 -0.001 m\", fixed: true}\n"
             "  below: {position: \"0 0 -0.001 m\", fixed: true}\n"
             "interfaces:\n"
             "  a: {pairs: [[s.1.1, under]], shear_modulus: 1 kPa, thickness: 1 mm, viscosity: 1 Pa s,"
             " normal_stiffness: 1 N/m, grade: C, cite: x}\n"
             "  b: {pairs: [[s.0.0, below]], area: 3 mm^2, normal: [0, 0, 2], shear_modulus: 1 kPa,"
             " thickness: 1 mm, viscosity: 1 Pa s, normal_stiffness: 1 N/m, grade: C, cite: x}\n");
    CHECK(fa_model_load_string(buf, "inline.yaml", &bad, &err) == FA_OK);
    if (bad) {
        const double s2 = sqrt(0.5);
        /* v = (0,1,1)/sqrt2: the sheet normal is u x v = (0,-1,1)/sqrt2 */
        CHECK_NEAR(bad->intf_normal[0], 0.0, 1e-12);
        CHECK_NEAR(bad->intf_normal[1], -s2, 1e-12);
        CHECK_NEAR(bad->intf_normal[2], s2, 1e-12);
        /* interior node s.1.1: the alternating diagonals all meet there, so it
         * touches all 8 triangles of the 4 cells (1 cm x 1 cm each): 4/3 cells */
        CHECK_REL(bad->intf_area[0], 4e-4 / 3, 1e-12);
        CHECK(bad->intf_area[1] == 3e-6);
        CHECK_NEAR(bad->intf_normal[5], 1.0, 1e-12); /* finalize normalises the given normal */
        /* node s.2.2 lies at origin + 2 cm u + 2 cm v */
        int k = fa_model_mesh_node(bad, "s", 2, 2);
        CHECK_NEAR(bad->node_pos0[3 * k], 0.02, 1e-15);
        CHECK_NEAR(bad->node_pos0[3 * k + 1], 0.02 * s2, 1e-15);
        CHECK_NEAR(bad->node_pos0[3 * k + 2], 0.02 * s2, 1e-15);
        /* fibre at 90 deg from u: along v */
        CHECK_NEAR(bad->mem_fibre[1], s2, 1e-12);
        CHECK_NEAR(bad->mem_fibre[2], s2, 1e-12);
    }
    fa_model_free(bad);
}

/* UTF-8 with a BOM, UTF-16 (LE and BE, with BOM) and CRLF line ends give the same model. */
static void test_encodings(void)
{
    const char *text = "materials:\r\n"
                       "  m: {E: 1 MPa, toe_strain: 0, matrix_E: 0 Pa, nu: 0.3, density: 1000 kg/m^3,"
                       " failure_strain: 0.1, grade: C, cite: x}\r\n"
                       "nodes:\r\n"
                       "  a: {position: \"0 0 0 m\", fixed: true}\r\n"
                       "  b: {position: \"0 0 -25 cm\"}\r\n"
                       "cords:\r\n"
                       "  c: {nodes: [a, b], material: m, area: 1 mm^2}\r\n";
    size_t n = strlen(text);
    fa_error err;
    fa_model *ref = NULL;
    CHECK(fa_model_load_buffer(text, n, "crlf.yaml", &ref, &err) == FA_OK);
    if (!ref) return;
    char *buf = (char *)malloc(2 * n + 4);
    if (!buf) return;
    /* UTF-8 BOM */
    memcpy(buf, "\xef\xbb\xbf", 3);
    memcpy(buf + 3, text, n);
    fa_model *m = NULL;
    CHECK(fa_model_load_buffer(buf, n + 3, "bom.yaml", &m, &err) == FA_OK);
    if (m) CHECK(fa_model_hash(m) == fa_model_hash(ref));
    fa_model_free(m);
    for (int be = 0; be < 2; be++) {
        buf[0] = be ? (char)0xfe : (char)0xff;
        buf[1] = be ? (char)0xff : (char)0xfe;
        for (size_t i = 0; i < n; i++) { /* ASCII text: one 16-bit unit per byte */
            buf[2 + 2 * i + (be ? 0 : 1)] = 0;
            buf[2 + 2 * i + (be ? 1 : 0)] = text[i];
        }
        m = NULL;
        CHECK_MSG(fa_model_load_buffer(buf, 2 * n + 2, "utf16.yaml", &m, &err) == FA_OK, "%s", err.msg);
        if (m) CHECK(fa_model_hash(m) == fa_model_hash(ref));
        fa_model_free(m);
    }
    free(buf);
    fa_model_free(ref);
}

static void test_api_errors(void)
{
    fa_model *m = (fa_model *)&m; /* must be reset to NULL on error */
    fa_error err;
    fa_status st = fa_model_load_string("materials: [", "<string>", &m, &err);
    CHECK(st == FA_ERR_SYNTAX && m == NULL);
    CHECK(strncmp(err.msg, "<string>:", 9) == 0 && err.line >= 1 && err.col >= 1);
    CHECK(fa_model_load_string("nodes: {a: {position: [0, 0, 0]}}", "x.yaml", &m, NULL) == FA_ERR_UNIT);
    CHECK(fa_model_load("tests/model/good/does-not-exist.yaml", &m, &err) == FA_ERR_IO);
    CHECK(strstr(err.msg, "does-not-exist.yaml") != NULL);
    CHECK(fa_model_load("tests/model", &m, &err) == FA_ERR_IO); /* a directory */
    CHECK(fa_model_load(NULL, &m, &err) == FA_ERR_ARG);
    CHECK(fa_model_load_string(NULL, "x", &m, &err) == FA_ERR_ARG);
    /* with embedded NUL bytes */
    static const char nul[] = "materials:\n  a\0b: {}\n";
    CHECK(fa_model_load_buffer(nul, sizeof nul - 1, "nul.yaml", &m, &err) == FA_ERR_SYNTAX);
    CHECK(strstr(err.msg, "nul.yaml:2:") != NULL);
    /* error positions are 1-based line:col of the offending scalar */
    st = fa_model_load_string("materials:\n  m:\n    E: 450\n", "p.yaml", &m, &err);
    CHECK(st == FA_ERR_UNIT && err.line == 3 && err.col == 8);
    CHECK_MSG(strstr(err.msg, "p.yaml:3:8: missing unit") != NULL, "%s", err.msg);
    CHECK(fa_model_lookup(NULL, "node", "x") == -1);
}

int main(void)
{
    test_units();
    test_basic();
    test_shirt();
    test_include();
    test_generators();
    test_encodings();
    test_api_errors();
    TEST_MAIN_END();
}
