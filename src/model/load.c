/* SPDX-License-Identifier: MIT */
/* Public loading API (fascia/load.h): files and includes -> YAML trees ->
 * fa_spec -> fa_model. Includes are read depth-first before the including
 * file's own sections, so an including file can reference what it includes;
 * a file that includes itself (directly or through others) is a cycle; a
 * file reached twice through different includes is read once. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "fascia/load.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/internal.h"
#include "spec.h"
#include "units.h"

#define MAX_INCLUDE_DEPTH 16
#define MAX_FILES 64

typedef struct loader {
    fa_spec *spec;
    fa_error *err;
    const char *stack[MAX_INCLUDE_DEPTH + 1]; /* canonical paths being read */
    int depth;
    int nfile;
    const char *done[MAX_FILES + 1]; /* canonical paths already read (pool strings) */
    int ndone;
} loader;

static fa_status read_file(const char *path, char **text, size_t *len, const char *from_file, int line,
                           int col, fa_error *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return fa_error_set(err, FA_ERR_IO, from_file ? from_file : path, from_file ? line : 0,
                            from_file ? col : 0,
                            "cannot open '%s': expected a readable body file (a regular file)", path);
    fa_status st = fa_read_file(path, 2 * (size_t)FA_Y_MAX_INPUT, text, len, err);
    if (st == FA_ERR_IO)
        return fa_error_set(err, FA_ERR_IO, from_file ? from_file : path, from_file ? line : 0,
                            from_file ? col : 0, "cannot open '%s': expected a readable body file", path);
    return st;
}

/* dir of `file` + rel, unless rel is absolute. */
static void join_path(char *out, size_t size, const char *file, const char *rel)
{
    if (rel[0] == '/' || !file) {
        snprintf(out, size, "%s", rel);
        return;
    }
    const char *slash = strrchr(file, '/');
    if (!slash) {
        snprintf(out, size, "%s", rel);
        return;
    }
    snprintf(out, size, "%.*s/%s", (int)(slash - file), file, rel);
}

static fa_status load_text(loader *L, const char *text, size_t len, const char *name);

static fa_status load_include(loader *L, const fa_ynode *inc)
{
    char path[PATH_MAX];
    join_path(path, sizeof path, inc->file, inc->str);
    char canon[PATH_MAX];
    if (!realpath(path, canon))
        return fa_error_set(L->err, FA_ERR_IO, inc->file, inc->line, inc->col,
                            "cannot open include '%s' (looked for '%s'): expected a readable body file",
                            inc->str, path);
    for (int d = 0; d < L->depth; d++)
        if (L->stack[d] && !strcmp(L->stack[d], canon))
            return fa_error_set(
                L->err, FA_ERR_CYCLE, inc->file, inc->line, inc->col,
                "include cycle: '%s' is already being read (expected includes to form a tree)", inc->str);
    /* include once: a file reached again through another path adds nothing */
    for (int d = 0; d < L->ndone; d++)
        if (!strcmp(L->done[d], canon)) return FA_OK;
    if (L->depth >= MAX_INCLUDE_DEPTH)
        return fa_error_set(L->err, FA_ERR_RANGE, inc->file, inc->line, inc->col,
                            "includes nested too deep: expected at most %d levels", MAX_INCLUDE_DEPTH);
    if (++L->nfile > MAX_FILES)
        return fa_error_set(L->err, FA_ERR_RANGE, inc->file, inc->line, inc->col,
                            "too many included files: expected at most %d", MAX_FILES);
    char *text;
    size_t len;
    fa_status st = read_file(path, &text, &len, inc->file, inc->line, inc->col, L->err);
    if (st) return st;
    L->stack[L->depth++] = canon;
    st = load_text(L, text, len, path);
    L->depth--;
    free(text);
    if (st == FA_OK && L->ndone < MAX_FILES) {
        L->done[L->ndone] = fa_pool_strndup(L->spec->pool, canon, strlen(canon));
        if (!L->done[L->ndone])
            return fa_error_set(L->err, FA_ERR_NOMEM, inc->file, inc->line, inc->col, "out of memory");
        L->ndone++;
    }
    return st;
}

static fa_status load_text(loader *L, const char *text, size_t len, const char *name)
{
    fa_ynode *root;
    fa_status st = fa_yaml_parse(L->spec->pool, text, len, name, &root, L->err);
    if (st) return st;
    const fa_ynode *inc = fa_ymap_get(root, "include");
    if (inc) {
        if (inc->kind == FA_Y_SCALAR && inc->len) {
            st = load_include(L, inc);
        } else if (inc->kind == FA_Y_SEQ) {
            for (const fa_ynode *c = inc->child; c && !st; c = c->next) {
                if (c->kind != FA_Y_SCALAR || !c->len)
                    return fa_error_set(L->err, FA_ERR_TYPE, c->file, c->line, c->col,
                                        "expected a file name in 'include', found a %s",
                                        fa_ykind_str(c->kind));
                st = load_include(L, c);
            }
        } else {
            return fa_error_set(L->err, FA_ERR_TYPE, inc->file, inc->line, inc->col,
                                "expected a file name or a list of file names for 'include', found a %s",
                                inc->kind == FA_Y_SCALAR ? "empty value" : fa_ykind_str(inc->kind));
        }
        if (st) return st;
    }
    return fa_spec_parse(L->spec, root, L->err);
}

static fa_status load_main(const char *text, size_t len, const char *name, const char *canon, fa_model **out,
                           fa_error *err)
{
    *out = NULL;
    fa_error_clear(err);
    loader L;
    memset(&L, 0, sizeof L);
    L.err = err;
    L.spec = fa_spec_new();
    if (!L.spec) return fa_error_set(err, FA_ERR_NOMEM, name, 0, 0, "out of memory");
    L.nfile = 1;
    if (canon) {
        L.stack[L.depth++] = canon;
        L.done[L.ndone++] = canon; /* a file that includes its includer again is a cycle, caught first */
    }
    fa_status st = load_text(&L, text, len, name);
    if (!st) st = fa_spec_compile(L.spec, out, err);
    fa_spec_free(L.spec);
    return st;
}

fa_status fa_model_load_buffer(const char *text, size_t len, const char *name_for_errors, fa_model **out,
                               fa_error *err)
{
    if (!out) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "fa_model_load: expected an output pointer");
    *out = NULL;
    if (!text)
        return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "fa_model_load_string: expected text, found NULL");
    return load_main(text, len, name_for_errors ? name_for_errors : "<string>", NULL, out, err);
}

fa_status fa_model_load_string(const char *text, const char *name_for_errors, fa_model **out, fa_error *err)
{
    return fa_model_load_buffer(text, text ? strlen(text) : 0, name_for_errors, out, err);
}

fa_status fa_model_load(const char *path, fa_model **out, fa_error *err)
{
    if (!out) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "fa_model_load: expected an output pointer");
    *out = NULL;
    if (!path) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "fa_model_load: expected a path, found NULL");
    char *text;
    size_t len;
    fa_status st = read_file(path, &text, &len, NULL, 0, 0, err);
    if (st) return st;
    char canon[PATH_MAX];
    const char *cp = realpath(path, canon) ? canon : NULL;
    st = load_main(text, len, path, cp, out, err);
    free(text);
    return st;
}

double fa_model_total_mass(const fa_model *m)
{
    double s = 0;
    for (int i = 0; i < m->nnode; i++)
        s += m->node_mass[i];
    return s;
}

void fa_model_print_summary(const fa_model *m, FILE *f)
{
    int nfree = 0, nfixed = 0, nanch = 0;
    for (int i = 0; i < m->nnode; i++) {
        if (m->node_body[i] == -1)
            nfree++;
        else if (m->node_body[i] == -2)
            nfixed++;
        else
            nanch++;
    }
    double area = 0;
    for (int i = 0; i < m->nmem; i++)
        area += m->mem_area0 ? m->mem_area0[i] : 0;
    int grade[3] = {0, 0, 0};
    for (int i = 0; i < m->nmat; i++)
        if (m->mat_grade[i] >= 'A' && m->mat_grade[i] <= 'C') grade[m->mat_grade[i] - 'A']++;
    fprintf(f, "materials   %d (%d Prony terms; evidence grade A %d, B %d, C %d)\n", m->nmat, m->nprony,
            grade[0], grade[1], grade[2]);
    fprintf(f, "bodies      %d\n", m->nbody);
    fprintf(f, "landmarks   %d\n", m->nlandmark);
    fprintf(f, "nodes       %d (%d free, %d fixed, %d anchored)\n", m->nnode, nfree, nfixed, nanch);
    fprintf(f, "cords       %d\n", m->ncord);
    fprintf(f, "membranes   %d (%.6g m^2)\n", m->nmem, area);
    fprintf(f, "interfaces  %d\n", m->nintf);
    fprintf(f, "muscles     %d\n", m->nmuscle);
    fprintf(f, "elements    %d\n", m->nelem);
    fprintf(f, "lines       %d (%d entries)\n", m->nline, m->nlineel);
    for (int i = 0; i < m->nline; i++)
        fprintf(f, "  %-20s grade %c, %d elements\n", fa_model_name(m, m->line_name[i]), m->line_grade[i],
                m->line_num[i]);
    fprintf(f, "regions     %d (%d entries)\n", m->nregion, m->nregionel);
    for (int i = 0; i < m->nregion; i++)
        fprintf(f, "  %-20s %d elements\n", fa_model_name(m, m->region_name[i]), m->region_num[i]);
    fprintf(f, "total mass  %.6g kg\n", fa_model_total_mass(m));
    fprintf(f, "sparsity    %d 3x3 blocks (%d nodes, %.1f blocks/row)\n", m->nblock, m->nnode,
            m->nnode ? (double)m->nblock / m->nnode : 0.0);
    fprintf(f, "hash        %016llx\n", (unsigned long long)fa_model_hash(m));
}

int fa_model_lookup(const fa_model *m, const char *kind, const char *name)
{
    if (!m || !kind || !name) return -1;
    if (!strcmp(kind, "element")) {
        int i = fa_model_find(m, "cord", name);
        if (i >= 0) return fa_elem_index(m, FA_CORD, i);
        i = fa_model_find(m, "muscle", name);
        if (i >= 0) return fa_elem_index(m, FA_MUSCLE, i);
        return -1;
    }
    return fa_model_find(m, kind, name);
}

int fa_model_mesh_node(const fa_model *m, const char *mesh, int i, int j)
{
    if (!m || !mesh || i < 0 || j < 0) return -1;
    char buf[300];
    int n = snprintf(buf, sizeof buf, "%s.%d.%d", mesh, i, j);
    if (n < 0 || (size_t)n >= sizeof buf) return -1;
    return fa_model_find(m, "node", buf);
}
