/* SPDX-License-Identifier: MIT */
/* The activity catalogue: one row per activity with the stimuli it gives.
 *
 * Numbers are repeated with units, sources and evidence grades in
 * data/activities.yaml; tests/scenario/test_activity.c checks that both agree.
 * Where no measured value was found the row says so (grade C, modelling
 * assumption) instead of inventing one; NAN marks "not applicable" or "no
 * published value found: the physiology stage must supply it". */
#include <math.h>
#include <string.h>

#include "fascia/scenario.h"

#define T_ FA_ACTF_TRAINING
#define I_ FA_ACTF_INSTANT
#define G_ FA_ACTF_GAIT
#define M_ FA_ACTF_MANUAL
#define K_ FA_ACTF_MARKER
#define R_ FA_ACTF_RUNNING

/* Curran PF, Fiore RD, Crisco JJ 2008, J Sport Rehabil 17(4):432-442: mean
 * pressure of a foam roller on the lateral thigh, 33.4 +/- 6.4 kPa. */
#define FOAM_ROLLER_PRESSURE 33.4e3

static const fa_activity_info catalogue[FA_NACT] = {
    /* name, posture, motion, flags, strain_scale, hold, temp, pressure, slide, cadence, volume,
       reeducation, region, grade, cite, mechanism */
    {"sit_upright", "desk_upright", NULL, 0, 1.0, 0.0, NAN, 0.0, 0.0, NAN, 0.0, 0.0, NULL, 'C',
     "Myers2014;seed",
     "hips and knees flexed ~90 deg, trunk upright: hip-flexor/posterior-chain length held; layers immobile"},
    {"sit_slumped", "desk_slumped", NULL, 0, 1.0, 0.0, NAN, 0.0, 0.0, NAN, 0.0, 0.0, NULL, 'C',
     "seed;Kothapalli2023",
     "leaning forward over a desk for hours: back lines held long, front lines short, immobile layers"},
    {"stand", "standing", NULL, 0, 1.0, 0.0, NAN, 0.0, 0.0, NAN, 0.0, 0.0, NULL, 'C', "model",
     "neutral reference posture; low static load"},
    {"sleep", "lying", NULL, 0, 1.0, 0.0, NAN, 0.0, 0.0, NAN, 0.0, 0.0, NULL, 'C', "model",
     "unloaded lying: rest in which water returns to the matrix (Schleip2012 rehydration)"},
    {"walk", NULL, "walking", G_, 1.0, 0.0, NAN, 0.0, 1.0, 115.2, 0.0, 0.0, NULL, 'A',
     "TudorLocke2012",
     "cyclic loading; ITB stores and returns elastic energy each stride (Eng2015 JEB)"},
    {"run", NULL, "running", G_ | T_ | R_, 1.0, 0.0, NAN, 0.0, 1.0, 171.3, 0.0, 0.0, NULL, 'A',
     "Frontiers2021cadence;Eng2015JBiomech",
     "~2,500 loading cycles per leg in 30 min; ITB and plantar fascia store elastic energy"},
    {"race", NULL, "running", G_ | T_ | R_, 1.0, 0.0, NAN, 0.0, 1.0, 171.3, 0.0, 0.0, NULL, 'A',
     "Frontiers2021cadence",
     "a run at race effort (speed given): higher strain rate per stride"},
    {"strength_hip", "side_lying", NULL, T_, 1.0, 0.0, NAN, 0.0, 1.0, NAN, 0.0, 0.0, "posterior_hip",
     'C', "seed;Fredericson2000",
     "gluteus medius/TFL strengthening: active load through the lateral line, collagen synthesis"},
    {"move_break", "standing", NULL, 0, 1.0, 0.0, NAN, 0.0, 1.0, NAN, 0.0, 0.0, NULL, 'C',
     "seed;Dunstan2012",
     "brief movement breaking a sitting bout: layers slide, held strain released"},
    {"hydrate", NULL, NULL, I_, 0.0, 0.0, NAN, 0.0, 0.0, NAN, 0.0, 0.0, NULL, 'C', "seed",
     "fluid intake; systemic water available for matrix rehydration"},
    {"stretch", "lunge", NULL, 0, 1.0, 30.0, NAN, 0.0, 0.0, NAN, 0.0, 0.0, NULL, 'A',
     "ACSM2021;Behm2016;Ingram2025",
     "static hold to mild discomfort: creep, water pressed out, acute ROM gain that fades in <30 min"},
    {"yoga_yin", "forward_fold", NULL, 0, 1.0, 240.0, NAN, 0.0, 0.0, NAN, 0.0, 0.0, NULL, 'C',
     "yinpractice;Langevin2005",
     "long passive holds (3-5 min): creep and fibroblast relaxation with tau of tens of minutes"},
    {"yoga_flow", "lunge", NULL, 0, 1.0, 20.0, NAN, 0.0, 1.0, NAN, 0.0, 0.0, NULL, 'C', "seed",
     "quick progressions between postures: muscle loosening, short time under load per position"},
    {"bath", "lying", NULL, 0, 1.0, 0.0, 40.0, 0.0, 0.0, NAN, 0.0, 0.0, NULL, 'A',
     "Jackman2023;Sautillet2024",
     "warm immersion (15-20 min): tissue temperature up for 1-2 h, HA viscosity down"},
    {"foam_roll", "side_lying", NULL, M_, 1.0, 240.0, NAN, FOAM_ROLLER_PRESSURE, 0.25, NAN, 0.0, 0.0,
     "lateral_thigh", 'A', "Curran2008;seed;Wiewelhove2019",
     "slow rolling to a tense spot, then sustained pressure 3-5 min on it: local compression, warming, "
     "layers sheared while rolling"},
    {"foam_roll_quick", "side_lying", NULL, M_, 1.0, 2.0, NAN, FOAM_ROLLER_PRESSURE, 1.0, NAN, 0.0,
     0.0, "lateral_thigh", 'A', "Curran2008;Sezik2024",
     "quick passes (about one per 2 s): brief compression, layers sheared"},
    {"time_off", NULL, NULL, K_, 0.0, 0.0, NAN, 0.0, 0.0, NAN, 0.0, 0.0, NULL, 'C', "seed",
     "no training load: damage heals, irritation settles (marker, makes no interval)"},
    {"rolfing", "lying", NULL, M_, 1.0, 0.0, NAN, NAN, 1.0, NAN, 0.0, 0.0, NULL, 'C', "seed",
     "deep manual therapy aimed at fascia: adhesions released, layers moved (pressure not published)"},
    {"massage", "lying", NULL, M_, 1.0, 0.0, NAN, NAN, 1.0, NAN, 0.0, 0.0, NULL, 'C',
     "seed;G2_massage",
     "fascial specialist massage on a region; a single bout leaves TLF shear strain unchanged (G2)"},
    {"movement_reeducation", "standing", NULL, 0, 1.0, 0.0, NAN, 0.0, 1.0, NAN, 0.0, 0.02, NULL,
     'C', "seed",
     "Alexander/Feldenkrais: habitual slumped posture shifted toward upright, load shared differently"},
    {"pigeon", "pigeon", NULL, 0, 1.0, 0.0, NAN, 0.0, 0.0, NAN, 0.0, 0.0, "posterior_hip", 'C', "seed",
     "long pigeon hold (whole bout): hip rotators, ITB/TFL and lateral line held long"},
    {"ice", "lying", NULL, 0, 1.0, 0.0, 0.0, 0.0, 0.0, NAN, 0.0, 0.0, NULL, 'C', "seed",
     "ice pack (0 C melting ice): local cooling, HA viscosity up while cold"},
    {"physio", "standing", NULL, 0, 1.0, 0.0, NAN, 0.0, 1.0, NAN, 0.0, 0.0, NULL, 'C', "seed",
     "supervised exercises (unspecified programme): light active loading"},
    {"tug", "standing", NULL, 0, 1.0, 0.0, NAN, 0.0, 0.0, NAN, 0.0, 0.0, "neck", 'C', "seed",
     "a held local pull (the shirt-collar tug): tension spreads through the network"},
};

const fa_activity_info *fa_activity_get(int a)
{
    if (a < 0 || a >= FA_NACT) return NULL;
    return &catalogue[a];
}

static const struct {
    const char *alias;
    int act;
} aliases[] = {
    {"running", FA_ACT_RUN},      {"jog", FA_ACT_RUN},
    {"walking", FA_ACT_WALK},     {"desk", FA_ACT_SIT_SLUMPED},
    {"sitting", FA_ACT_SIT_UPRIGHT}, {"standing", FA_ACT_STAND},
    {"lying", FA_ACT_SLEEP},      {"yin", FA_ACT_YOGA_YIN},
    {"flow", FA_ACT_YOGA_FLOW},   {"epsom_bath", FA_ACT_BATH},
    {"rest", FA_ACT_TIME_OFF},    {"pigeon_pose", FA_ACT_PIGEON},
    {"alexander", FA_ACT_REEDUCATION}, {"feldenkrais", FA_ACT_REEDUCATION},
    {"strength", FA_ACT_STRENGTH_HIP},
};

int fa_activity_find(const char *name)
{
    if (!name) return -1;
    for (int a = 0; a < FA_NACT; a++)
        if (!strcmp(catalogue[a].name, name)) return a;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (!strcmp(aliases[i].alias, name)) return aliases[i].act;
    return -1;
}
