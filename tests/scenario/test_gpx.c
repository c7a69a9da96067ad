/* SPDX-License-Identifier: MIT */
/* GPX/TCX import against analytic answers (equator arcs, trapezoid heart
 * rate), calendar/ISO 8601 arithmetic, the RNG's published reference
 * outputs, and clear errors on bad files. */
#include <math.h>
#include <string.h>

#include "fascia/scenario.h"
#include "harness.h"

#define PI 3.14159265358979323846

static void bad(const char *file, fa_status code, const char *want)
{
    char path[256];
    snprintf(path, sizeof path, "tests/scenario/runs/%s", file);
    fa_run_summary rs;
    fa_error err;
    fa_error_clear(&err);
    fa_status st = fa_run_import(path, &rs, &err);
    CHECK_MSG(st == code, "%s: status %d, want %d (%s)", file, st, code, err.msg);
    CHECK_MSG(strstr(err.msg, want) != NULL, "%s:\n   expected: %s\n   got:      %s", file, want, err.msg);
    CHECK_MSG(!strncmp(err.msg, path, strlen(path)), "%s: message lacks the file name", file);
}

int main(void)
{
    const double R = FA_EARTH_RADIUS;
    /* haversine: analytic arcs */
    CHECK_REL(fa_haversine(0, 0, 0, 1), R * PI / 180, 1e-13);
    CHECK_REL(fa_haversine(0, 0, 90, 0), R * PI / 2, 1e-13);
    CHECK_REL(fa_haversine(0, 0, 0, 180), R * PI, 1e-13);
    CHECK_REL(fa_haversine(10, 20, -30, 40), fa_haversine(-30, 40, 10, 20), 1e-15);
    CHECK(fa_haversine(45, 45, 45, 45) == 0);
    /* along a parallel at 60 deg the chord arc is shorter than R cos(60) dlon (great circle < small circle) */
    double par = R * cos(60 * PI / 180) * (PI / 180);
    double gc = fa_haversine(60, 0, 60, 1);
    CHECK(gc < par && gc > 0.9999 * par);

    /* calendar */
    CHECK(fa_days_from_civil(1970, 1, 1) == 0);
    CHECK(fa_days_from_civil(2000, 3, 1) == 11017);
    CHECK(fa_days_from_civil(1969, 12, 31) == -1);
    CHECK(fa_days_from_civil(2026, 3, 4) == 20516);
    double t;
    CHECK(fa_parse_iso8601("2026-03-04T07:30:05Z", &t) == 0 && t == 20516 * 86400.0 + 27005);
    CHECK(fa_parse_iso8601("2026-03-04T09:30:05+02:00", &t) == 0 && t == 20516 * 86400.0 + 27005);
    CHECK(fa_parse_iso8601("2026-03-04T02:00:05.5-0530", &t) == 0 && t == 20516 * 86400.0 + 27005.5);
    CHECK(fa_parse_iso8601("2026-03-04T07:30:05", &t) == 0 && t == 20516 * 86400.0 + 27005);
    CHECK(fa_parse_iso8601("2026-02-30T07:30:05Z", &t) != 0);
    CHECK(fa_parse_iso8601("2026-03-04T07:30Z", &t) != 0);
    CHECK(fa_parse_iso8601("2026-03-04T07:30:05Zjunk", &t) != 0);
    CHECK(fa_parse_iso8601("", &t) != 0);

    /* RNG: splitmix64 from seed 0 gives the published first output
     * 0xe220a8397b1dcdaf; xoshiro256** outputs from that state */
    fa_rng r;
    fa_rng_seed(&r, 0);
    CHECK(r.s[0] == 0xe220a8397b1dcdafULL && r.s[1] == 0x6e789e6aa1b965f4ULL);
    CHECK(r.s[2] == 0x06c45d188009454fULL && r.s[3] == 0xf88bb8a8724c81ecULL);
    CHECK(fa_rng_next(&r) == 0x99ec5f36cb75f2b4ULL);
    CHECK(fa_rng_next(&r) == 0xbf6e1f784956452aULL);
    CHECK(fa_rng_next(&r) == 0x1a5f849d4933e6e0ULL);
    double mean = 0;
    int inrange = 1;
    for (int i = 0; i < 100000; i++) {
        double u = fa_rng_uniform(&r);
        inrange &= u >= 0 && u < 1;
        mean += u;
    }
    CHECK(inrange);
    CHECK_NEAR(mean / 100000, 0.5, 0.005);

    /* GPX: 10 equatorial arcs of 0.01 deg, 300 s apart, hr 140..150 */
    fa_run_summary rs;
    fa_error err;
    CHECK(fa_run_import("tests/scenario/runs/equator.gpx", &rs, &err) == FA_OK);
    CHECK(rs.npoints == 11 && rs.distance_source == 0);
    CHECK_REL(rs.distance, R * 0.1 * PI / 180, 1e-12);
    CHECK(rs.duration == 3000);
    CHECK_REL(rs.speed, rs.distance / 3000, 1e-15);
    CHECK_REL(rs.pace, 1000 / rs.speed, 1e-15);
    CHECK_REL(rs.hr_mean, 145.0, 1e-15); /* equal steps: trapezoid mean of 140..150 */
    CHECK(rs.hr_max == 150);
    CHECK(rs.start_unix == 20516 * 86400.0 + 7 * 3600);
    CHECK(!strcmp(rs.sport, "running"));
    CHECK(rs.ascent == 0 && rs.descent == 0); /* constant <ele> */

    /* TCX with the device's distance and heart rate */
    CHECK(fa_run_import("tests/scenario/runs/device.tcx", &rs, &err) == FA_OK);
    CHECK(rs.npoints == 4 && rs.distance_source == 1 && rs.distance == 5000 && rs.duration == 1500);
    CHECK_REL(rs.hr_mean, (151.0 * 400 + 153.0 * 400 + 157.0 * 700) / 1500, 1e-14);
    CHECK(rs.hr_max == 160 && !strcmp(rs.sport, "Running"));
    CHECK(isnan(rs.ascent) && isnan(rs.descent)); /* no altitude */
    /* TCX without distances: haversine along a meridian; a +01:00 offset time */
    CHECK(fa_run_import("tests/scenario/runs/nodist.tcx", &rs, &err) == FA_OK);
    CHECK(rs.distance_source == 0 && rs.duration == 1200);
    CHECK_REL(rs.distance, R * 0.02 * PI / 180, 1e-12);
    CHECK(isnan(rs.hr_mean) && isnan(rs.hr_max));
    CHECK(rs.ascent == 15.5 && rs.descent == 10.5);

    /* the same bytes from memory give the same answer */
    const char *g = "<gpx><trk><trkseg><trkpt lat='0' lon='0'><time>2026-01-01T00:00:00Z</time></trkpt>"
                    "<trkpt lat='0' lon='1'><time>2026-01-01T10:00:00Z</time></trkpt></trkseg></trk></gpx>";
    CHECK(fa_run_import_mem(g, strlen(g), "mem.gpx", &rs, &err) == FA_OK);
    CHECK_REL(rs.distance, R * PI / 180, 1e-13);

    /* bad files */
    bad("bad_notxml.gpx", FA_ERR_SYNTAX, "expected well-formed XML, found:");
    bad("bad_root.xml", FA_ERR_SYNTAX, ":2: expected a <gpx> or <TrainingCenterDatabase> root element, found <kml>");
    bad("bad_nolat.gpx", FA_ERR_MISSING, ":3: expected lat and lon attributes on <trkpt>, found only one");
    bad("bad_lat.gpx", FA_ERR_RANGE, ":3: expected lat in [-90, 90]");
    bad("bad_time.gpx", FA_ERR_SYNTAX, ":4: expected an ISO 8601 time such as 2026-03-01T07:30:00Z, found 'yesterday'");
    bad("bad_order.gpx", FA_ERR_RANGE, ":5: expected times in order, found a time earlier than the point at line 4");
    bad("bad_onepoint.gpx", FA_ERR_MISSING, "expected at least 2 trackpoints with times, found 1");
    bad("bad_hr.tcx", FA_ERR_RANGE, "expected a heart rate between 20 and 250 beats/min");
    bad("no_such_file.gpx", FA_ERR_IO, "cannot read the file");
    /* entity expansion bombs are refused; external entities are never read */
    bad("bad_entities.gpx", FA_ERR_SYNTAX, "entity reference loop");
    bad("bad_xxe.gpx", FA_ERR_SYNTAX, ":15: expected an ISO 8601 time such as 2026-03-01T07:30:00Z, found ''");
    /* an empty buffer */
    CHECK(fa_run_import_mem("", 0, "empty.gpx", &rs, &err) == FA_ERR_SYNTAX);
    TEST_MAIN_END();
}
