/* SPDX-License-Identifier: MIT */
/* fascia — scenarios: a person, a weekly schedule of activities, phases,
 * events, rules and imported runs, expanded into a timeline of intervals.
 *
 * Flow: text (YAML) -> fa_scenario (validated, names resolved to catalogue
 * ids) -> fa_iter (deterministic day-by-day expansion) -> fa_interval stream
 * consumed by the multi-rate runner in hour/day steps.
 *
 * Times: seconds since the scenario's day 0 at 00:00 (local clock, no time
 * zones, no DST). Days are 0-based in the API and 1-based in the file
 * ("day 1" is the first day). Weekday bit 0 is Monday. The file format is
 * documented in docs/scenario-format.md. */
#ifndef FASCIA_SCENARIO_H
#define FASCIA_SCENARIO_H

#include <stdint.h>
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------
 * Activity catalogue
 * ------------------------------------------------------------------------- */

/* X(ENUM, "name") — the catalogue's activities, in table order. */
#define FA_ACTIVITIES(X)                                   \
    X(FA_ACT_SIT_UPRIGHT, "sit_upright")                   \
    X(FA_ACT_SIT_SLUMPED, "sit_slumped")                   \
    X(FA_ACT_STAND, "stand")                               \
    X(FA_ACT_SLEEP, "sleep")                               \
    X(FA_ACT_WALK, "walk")                                 \
    X(FA_ACT_RUN, "run")                                   \
    X(FA_ACT_RACE, "race")                                 \
    X(FA_ACT_STRENGTH_HIP, "strength_hip")                 \
    X(FA_ACT_MOVE_BREAK, "move_break")                     \
    X(FA_ACT_HYDRATE, "hydrate")                           \
    X(FA_ACT_STRETCH, "stretch")                           \
    X(FA_ACT_YOGA_YIN, "yoga_yin")                         \
    X(FA_ACT_YOGA_FLOW, "yoga_flow")                       \
    X(FA_ACT_BATH, "bath")                                 \
    X(FA_ACT_FOAM_ROLL, "foam_roll")                       \
    X(FA_ACT_FOAM_ROLL_QUICK, "foam_roll_quick")           \
    X(FA_ACT_TIME_OFF, "time_off")                         \
    X(FA_ACT_ROLFING, "rolfing")                           \
    X(FA_ACT_MASSAGE, "massage")                           \
    X(FA_ACT_REEDUCATION, "movement_reeducation")          \
    X(FA_ACT_PIGEON, "pigeon")                             \
    X(FA_ACT_ICE, "ice")                                   \
    X(FA_ACT_PHYSIO, "physio")                             \
    X(FA_ACT_TUG, "tug")

typedef enum fa_activity {
#define FA_ACT_ENUM_(e, name) e,
    FA_ACTIVITIES(FA_ACT_ENUM_)
#undef FA_ACT_ENUM_
    FA_NACT
} fa_activity;

/* Activity flags. */
#define FA_ACTF_TRAINING 0x01u  /* training load: stopped by time_off and "no training" */
#define FA_ACTF_INSTANT 0x02u   /* takes no time (hydrate); duration 0 allowed */
#define FA_ACTF_GAIT 0x04u      /* a gait motion: speed and cadence apply */
#define FA_ACTF_MANUAL 0x08u    /* manual therapy / self-massage: pressure at a region */
#define FA_ACTF_MARKER 0x10u    /* a control entry (time_off): suppresses, makes no interval */
#define FA_ACTF_RUNNING 0x20u   /* counts as "running" (run, race) */

/* One catalogue row: the stimuli an activity gives, as a plain table the
 * runner consumes. NAN marks "not applicable". Numbers and their sources are
 * listed again, with units and evidence grades, in data/activities.yaml
 * (tests check the two agree). */
typedef struct fa_activity_info {
    const char *name;        /* file name of the activity */
    const char *posture;     /* static posture the anatomy stage maps to joint coordinates:
                                standing, desk_upright, desk_slumped, lying, forward_fold,
                                pigeon, lunge, calf_stretch, side_lying; NULL for a motion */
    const char *motion;      /* motion file name (running, walking); NULL for a posture */
    unsigned flags;          /* FA_ACTF_* */
    double strain_scale;     /* -, share of the posture's/motion's end-range tissue strain held:
                                1 = at the stretch end range, 0 = unloaded */
    double hold;             /* s, default continuous hold per bout at constant strain
                                (time under load before the position changes) */
    double temp;             /* deg C, temperature the surface is taken toward; NAN none */
    double pressure;         /* Pa, mean local compression at the target region; 0 none */
    double slide;            /* -, layer sliding: 0 immobile surfaces, 1 sliding as in gait */
    double cadence;          /* steps/min (both feet), default for gait activities; NAN */
    double volume;           /* m^3, default fluid intake per bout (hydrate); 0 none */
    double reeducation;      /* -, fraction of the slumped-vs-upright habit shifted toward
                                upright per session (movement re-education); 0 none */
    const char *region;      /* default target region (reporting region name) or NULL */
    char grade;              /* evidence grade of the mechanism: 'A', 'B' or 'C' */
    const char *cite;        /* citation key(s), see data/activities.yaml */
    const char *mechanism;   /* one line: what the activity does to fascia, per the source */
} fa_activity_info;

/* The catalogue row of activity a (NULL when out of range). */
const fa_activity_info *fa_activity_get(int a);

/* Activity id by name, -1 when unknown. Accepts the aliases listed in
 * docs/scenario-format.md (e.g. "running" -> run, "desk" -> sit_slumped). */
int fa_activity_find(const char *name);

/* ---------------------------------------------------------------------------
 * Intervals: what the runner consumes
 * ------------------------------------------------------------------------- */

/* Where an interval came from. */
typedef enum fa_source {
    FA_SRC_IDLE = 0,   /* gap filled with the scenario's idle activity */
    FA_SRC_SCHEDULE,   /* the base weekly schedule */
    FA_SRC_PHASE,      /* a phase's added/replacing schedule */
    FA_SRC_EVENT,      /* a one-off event entry */
    FA_SRC_RULE,       /* added by a triggered rule */
    FA_SRC_IMPORT      /* a real run imported from GPX/TCX */
} fa_source;

/* One piece of the timeline. Intervals never cross midnight: a bout that
 * does (sleep 22:00 for 8 h) is split, and the second piece has cont = 1. */
typedef struct fa_interval {
    double t0;          /* s since day 0 00:00 */
    double dur;         /* s, >= 0 (0 only for instant activities) */
    int day;            /* 0-based day of t0 */
    int act;            /* fa_activity */
    int cont;           /* 1 when this piece continues the previous bout (no break) */
    double bout_t0;     /* s, start of the whole bout this piece belongs to */
    double bout_dur;    /* s, duration of the whole bout */
    double speed;       /* m/s, gait speed (0 when not a gait) */
    double cadence;     /* steps/min, both feet (0 when not a gait) */
    double strides;     /* -, loading cycles per leg in this piece = cadence/2 * dur/60 */
    double distance;    /* m, speed * dur */
    double hold;        /* s, continuous hold per position within the bout */
    double temp;        /* deg C, target temperature; NAN none */
    double pressure;    /* Pa, local compression; 0 none */
    double volume;      /* m^3, fluid taken (instant activities) */
    double force;       /* N, external pull (tug) */
    double intensity;   /* -, relative intensity / stretch depth, 1 = catalogue default */
    double hr;          /* 1/min, mean heart rate when known (imported runs), NAN otherwise */
    char pose[16];      /* posture name ("" = catalogue default) */
    char region[32];    /* target region ("" = catalogue default / whole body) */
    char terrain[16];   /* "road", "trail", "track", "treadmill" ("" = road) */
    int source;         /* fa_source */
    int line;           /* line in the scenario file of the entry (0 = idle fill) */
} fa_interval;

/* ---------------------------------------------------------------------------
 * Scenario
 * ------------------------------------------------------------------------- */

#define FA_SC_MAX_ENTRY 512
#define FA_SC_MAX_PHASE 32
#define FA_SC_MAX_BLOCK 128
#define FA_SC_MAX_RULE 16
#define FA_SC_MAX_VARIANT 8
#define FA_SC_MAX_PARAM 32
#define FA_SC_MAX_TRIG 512 /* a weekly rule over a 2-year scenario fires ~100 times */
#define FA_SC_MAX_DAYSEG 256

typedef enum fa_sex { FA_SEX_UNSPECIFIED = 0, FA_SEX_FEMALE, FA_SEX_MALE } fa_sex;

/* The person simulated. */
typedef struct fa_person {
    char body[128];                       /* body file or built-in body name ("default") */
    double mass;                          /* kg */
    double height;                        /* m */
    int sex;                              /* fa_sex */
    double age;                           /* years */
    int nparam;                           /* free parameters passed to physiology */
    char param_name[FA_SC_MAX_PARAM][32];
    double param_value[FA_SC_MAX_PARAM];  /* SI units as written in the docs of the parameter */
} fa_person;

/* Who owns an entry. */
typedef enum fa_owner { FA_OWN_BASE = 0, FA_OWN_PHASE, FA_OWN_EVENT, FA_OWN_RULE_OFF, FA_OWN_RULE_AFTER, FA_OWN_IMPORT } fa_owner;

/* One schedule entry (a line such as "Mon-Fri 08:00-16:00 sit_slumped"). */
typedef struct fa_entry {
    int owner;          /* fa_owner */
    int owner_index;    /* phase or rule index (-1 otherwise) */
    unsigned days;      /* weekday mask (bit 0 Monday), 0x7f daily */
    int day0, day1;     /* absolute day range, 0-based inclusive (event/import); -1 weekly */
    double start;       /* s after midnight of the first bout */
    double every;       /* s, repeat period within [start, until) (0 = once) */
    double until;       /* s after midnight, end of the repeat window */
    fa_interval proto;  /* activity and parameters of one bout (t0/day unused) */
    int line, col;      /* position in the file */
} fa_entry;

typedef struct fa_phase {
    char name[32];
    int week0, week1;   /* 1-based inclusive week range */
    int replace;        /* 1: the phase's entries replace the base schedule */
    uint64_t remove;    /* activity mask of base entries dropped in this phase */
    int line;
} fa_phase;

/* Block kinds (events that are not entries). */
typedef enum fa_block_kind {
    FA_BLOCK_NO = 0,      /* suppress activities (mask) on the days */
    FA_BLOCK_IMMOBILISE,  /* region immobilised (cast/brace) */
    FA_BLOCK_INJURY,      /* injury at a region with a severity, on day0 */
    FA_BLOCK_CHANGE       /* a marked change (new shoes ...) reported as an event */
} fa_block_kind;

typedef struct fa_block {
    int kind;           /* fa_block_kind */
    int day0, day1;     /* 0-based inclusive */
    uint64_t mask;      /* suppressed activities (FA_BLOCK_NO) */
    char region[32];    /* region (immobilise, injury) or what changed (change) */
    double severity;    /* -, injury severity in [0,1] */
    int line;
} fa_block;

/* A rule such as Fleshman's: when SIGNAL at REGION exceeds THRESHOLD, stop
 * the `off` activities for off_days, add the `add` entries during those days
 * and the `after` entries for after_days from the trigger on. */
typedef struct fa_rule {
    char name[32];
    char signal[16];      /* "pain" (0-10 scale), "irritation" (-), "damage" (-) */
    char region[32];      /* region the signal is read at */
    double threshold;     /* trigger when signal > threshold (or >= when ge = 1) */
    int ge;
    uint64_t off;         /* activity mask stopped */
    int off_days;         /* days */
    int after_days;       /* days the `after` entries last */
    int line;
    int injury;           /* 1: `when: injury REGION`, fires when the runner's damage model declares an injury
                             (an element of REGION crossing dmg.D_inj); signal "injury", no threshold */
    int until_healed;     /* 1: `until: healed`, the off window has no fixed length: it lasts until the runner's
                             return-to-run criterion holds (fa_iter_release); off_days is 0 */
} fa_rule;

/* A parsed, validated scenario. */
typedef struct fa_scenario {
    char name[64];
    char description[256];
    char file[256];          /* file it was read from ("" for text) */
    int ndays;               /* simulated days */
    int start_weekday;       /* 0 Monday .. 6 Sunday: weekday of day 0 */
    int start_date;          /* days since 1970-01-01 of day 0, or INT32_MIN when none */
    int idle;                /* activity filling gaps (default stand) */
    double default_cadence;  /* steps/min used for gait entries without cadence */
    fa_person person;
    int nentry;
    fa_entry entry[FA_SC_MAX_ENTRY];
    int nphase;
    fa_phase phase[FA_SC_MAX_PHASE];
    int nblock;
    fa_block block[FA_SC_MAX_BLOCK];
    int nrule;
    fa_rule rule[FA_SC_MAX_RULE];
    int nvariant;                               /* variants the file offers */
    char variant_name[FA_SC_MAX_VARIANT][32];
    int variant;                                /* index of the variant applied, -1 none */
} fa_scenario;

/* Parse a scenario from text. `file` names the source in errors and is the
 * base directory for imported run files (may be NULL: imports then resolve
 * against the working directory). Allocates *out (free with
 * fa_scenario_free). Every error names file:line:col, what was expected and
 * what was found. */
fa_status fa_scenario_parse(const char *text, size_t len, const char *file, fa_scenario **out,
                            fa_error *err);

/* As fa_scenario_parse, applying variant `variant` of the file's
 * `variants:` section (NULL: the file's `variant:` default, if any; "" none).
 * An unknown variant is an error that lists the variants offered. */
fa_status fa_scenario_parse_variant(const char *text, size_t len, const char *file, const char *variant,
                                    fa_scenario **out, fa_error *err);

/* Read and parse a scenario file. `path` may end in ":VARIANT" when no file
 * of that full name exists. */
fa_status fa_scenario_load(const char *path, fa_scenario **out, fa_error *err);

/* Parse a built-in scenario by name ("desk-runner", "fleshman",
 * "fleshman:rule", ...). */
fa_status fa_scenario_load_builtin(const char *name, fa_scenario **out, fa_error *err);

/* Text of a built-in scenario (NULL when unknown); *len receives its size. */
const char *fa_scenario_builtin_text(const char *name, size_t *len);

/* Name of built-in scenario i (NULL past the end). */
const char *fa_scenario_builtin_name(int i);

void fa_scenario_free(fa_scenario *sc);

struct fa_model;
/* Check that every region the scenario names (entry "region", immobilise,
 * injury, rule conditions) is a reporting region of model m
 * (fa_model_find(m, "region", name)). The first unknown one is reported at
 * its line in the scenario file. Entries without a region are fine. */
fa_status fa_scenario_check_regions(const fa_scenario *sc, const struct fa_model *m, fa_error *err);

/* ---------------------------------------------------------------------------
 * Expansion
 * ------------------------------------------------------------------------- */

/* A triggered rule. */
typedef struct fa_trigger {
    int rule;   /* rule index */
    int day;    /* 0-based day the rule fired (its windows start that day) */
    int end;    /* `until: healed` rules: first day back (the off window is [day, end)), FA_TRIG_OPEN
                   until fa_iter_release; unused (0) for rules with off_days */
} fa_trigger;

#define FA_TRIG_OPEN 0x7fffffff /* fa_trigger.end of an off window not yet released */

/* The scenario cursor: everything needed to resume the timeline. */
typedef struct fa_cursor {
    double t;                         /* s, time reached */
    int inst;                         /* instant intervals at exactly t already consumed */
    int ntrig;
    fa_trigger trig[FA_SC_MAX_TRIG];  /* rules fired so far, in firing order */
    uint64_t scenario;                /* fa_scenario_hash of the scenario it belongs to (0 = not yet
                                         bound: fa_iter_init binds it) */
} fa_cursor;

/* Per-day context alongside the intervals. */
typedef struct fa_day_info {
    int day;            /* 0-based */
    int weekday;        /* 0 Monday */
    int week;           /* 1-based */
    int phase;          /* active phase index, -1 none */
    int nimmob;         /* regions immobilised this day */
    int immob_block[8]; /* block indices */
    int ninjury;        /* injuries starting this day */
    int injury_block[8];
    int nchange;        /* changes marked this day */
    int change_block[8];
    int noverride;      /* entry bouts cut by later/higher-precedence entries */
} fa_day_info;

/* Expand day `day` (0-based) into at most `cap` day-clipped intervals that
 * tile [day*86400, (day+1)*86400) (instant activities add zero-length
 * intervals). `cur` supplies fired rules (may be NULL). FA_ERR_RANGE when
 * cap is too small or day is out of range. */
fa_status fa_expand_day(const fa_scenario *sc, const fa_cursor *cur, int day, fa_interval *out,
                        int cap, int *n, fa_day_info *info, fa_error *err);

/* Iterator over the timeline: yields intervals clipped to the requested
 * step, so a runner can advance in hours or days. */
typedef struct fa_iter {
    const fa_scenario *sc;
    fa_cursor cur;
    int day;                          /* day whose intervals are cached (-1 none) */
    int nseg, iseg;
    fa_interval seg[FA_SC_MAX_DAYSEG];
    fa_day_info info;
    uint64_t hash;                    /* fa_scenario_hash(sc) */
} fa_iter;

/* 64-bit FNV-1a identity of a scenario's content (length, start, person,
 * entries, phases, events, rules, applied variant; not its file name): the
 * same text gives the same value wherever it was loaded from. */
uint64_t fa_scenario_hash(const fa_scenario *sc);

/* Start at time 0 (or resume at cur, when not NULL). A cursor bound to
 * another scenario (cur->scenario != 0 and != fa_scenario_hash(sc)) makes
 * fa_iter_next fail with a message. */
void fa_iter_init(fa_iter *it, const fa_scenario *sc, const fa_cursor *cur);

/* Next interval, clipped to [it->cur.t, t_end). Returns 1 with *out set and
 * the cursor advanced, 0 at t_end or at the end of the scenario, -1 on an
 * expansion error (err set). Instant intervals at the current time are
 * returned before time advances. */
int fa_iter_next(fa_iter *it, double t_end, fa_interval *out, fa_error *err);

/* Fire rule `rule` on day `day` (>= the current day). Changes the timeline
 * from that day on. A rule already in force on that day (inside the off
 * window of an earlier firing, or fired the same day) is ignored (returns
 * FA_OK, fires nothing); after its off days it can fire again, and its
 * `after` entries then run from the later firing's window too (an entry is
 * on while any firing's window covers the day, never twice). */
fa_status fa_iter_trigger(fa_iter *it, int rule, int day, fa_error *err);

/* End the open off window of `until: healed` rule `rule` (its latest firing)
 * so that `day` is the first day back: the off activities return and the
 * `add` entries stop on that day, the `after` entries run from it.
 * FA_ERR_ARG when the rule is not `until: healed` or has no open window;
 * FA_ERR_RANGE when day is before the current day or not after the firing
 * day. */
fa_status fa_iter_release(fa_iter *it, int rule, int day, fa_error *err);

/* First day after the off window of firing t (day + off_days, or t->end for
 * `until: healed` rules; FA_TRIG_OPEN while such a window is open). */
int fa_trigger_end(const fa_scenario *sc, const fa_trigger *t);

/* End time of the scenario: ndays * 86400 s. */
double fa_scenario_end(const fa_scenario *sc);

/* ---------------------------------------------------------------------------
 * Imported runs (GPX 1.1 / TCX 2)
 * ------------------------------------------------------------------------- */

typedef struct fa_run_summary {
    int npoints;          /* trackpoints read */
    double distance;      /* m: TCX DistanceMeters when present, else haversine sum */
    double duration;      /* s, last minus first timestamp */
    double speed;         /* m/s, distance / duration */
    double pace;          /* s/km, 1000 / speed */
    double hr_mean;       /* 1/min, time-weighted mean heart rate; NAN when absent */
    double hr_max;        /* 1/min; NAN when absent */
    double start_unix;    /* s since 1970-01-01T00:00:00Z of the first point */
    double ascent;        /* m, sum of rises between consecutive elevations (GPX <ele>, TCX
                             <AltitudeMeters>; raw, unsmoothed); NAN when absent */
    double descent;       /* m, sum of drops, positive; NAN when absent */
    int distance_source;  /* 0 haversine, 1 TCX DistanceMeters */
    char sport[32];       /* TCX Sport attribute or GPX <type>, "" when absent */
} fa_run_summary;

/* Mean Earth radius used for haversine distances, m (IUGG R1, Moritz 2000). */
#define FA_EARTH_RADIUS 6371008.8

/* Read a .gpx or .tcx file (by content, not extension). */
fa_status fa_run_import(const char *path, fa_run_summary *out, fa_error *err);

/* Parse from memory; `name` is used in error messages. */
fa_status fa_run_import_mem(const char *buf, size_t len, const char *name, fa_run_summary *out,
                            fa_error *err);

/* Great-circle distance between two points (degrees), m. */
double fa_haversine(double lat1, double lon1, double lat2, double lon2);

/* Parse an ISO 8601 / RFC 3339 time ("2026-03-01T07:30:05Z", offsets and
 * fractional seconds allowed) to seconds since the Unix epoch. 0 on success. */
int fa_parse_iso8601(const char *s, double *unix_s);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int fa_days_from_civil(int y, int m, int d);

/* ---------------------------------------------------------------------------
 * Deterministic random numbers (xoshiro256**, seeded by splitmix64)
 * ------------------------------------------------------------------------- */

typedef struct fa_rng {
    uint64_t s[4];
} fa_rng;

void fa_rng_seed(fa_rng *r, uint64_t seed);
uint64_t fa_rng_next(fa_rng *r);
/* Uniform in [0, 1) with 53 random bits. */
double fa_rng_uniform(fa_rng *r);

#ifdef __cplusplus
}
#endif
#endif
