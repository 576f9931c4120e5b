/* test_settings.c: settings files (the lab's six temperatures and hand-written ones) and the
 * bundled data files: every column rule and every broken line names FILE:LINE. */
#include <stdlib.h>
#include <unistd.h>

#include "logitscope/settings.h"
#include "logitscope/vocab.h"
#include "params_fixture.h"
#include "tap.h"
#include "tmpfile_fixture.h"

#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/data"
#endif

/* The bundled data directory: $LOGITSCOPE_DATA (set by meson test) or the source tree. */
static const char *data_path(const char *rel)
{
    static char buf[1024];
    const char *d = getenv("LOGITSCOPE_DATA");

    snprintf(buf, sizeof buf, "%s/%s", d && *d ? d : TEST_DATA_DIR "/../../data", rel);
    return buf;
}

static void expect_error(const char *path, const char *want)
{
    struct settings s = {0};
    struct ls_error err = {{0}};

    TAP_EQ_INT(settings_load(&s, path, &err), -1, "rejected: %s", want);
    TAP_EQ_STR(err.msg, want, "message");
    tap_ok(s.items == NULL && s.n == 0, "settings stay empty");
}

static void test_lab_settings(void)
{
    static const char *const names[] = {
        "T=0.1 almost deterministic", "T=0.2 very focused", "T=0.5 focused",
        "T=1.0 baseline (logits as given)",            "T=1.5 creative",  "T=2.0 very creative",
    };
    static const double temps[] = {0.1, 0.2, 0.5, 1.0, 1.5, 2.0};
    struct settings s = {0};
    struct ls_error err = {{0}};
    int ok = 1;

    TAP_EQ_INT(settings_load(&s, data_path("sweeps/temperature.tsv"), &err), 0,
               "data/sweeps/temperature.tsv loads: %s", err.msg);
    TAP_EQ_INT(s.n, 6, "six settings");
    for (size_t i = 0; i < s.n && i < 6; i++) {
        const struct params *p = &s.items[i].params;
        ok &= strcmp(s.items[i].name, names[i]) == 0 && P_T(*p) == temps[i] &&
              P_K(*p) == 0 && P_P(*p) == 1.0 && P_MINP(*p) == 0.0 && P_PRESET(*p) == PRESET_HF;
    }
    tap_ok(ok, "the lab's names and values, in the lab's order");
    settings_free(&s);
    tap_ok(s.items == NULL && s.n == 0, "settings_free empties");
}

static void test_decisions(void)
{
    static const char *const toks[] = {"approve", "reject", "review", "escalate", "delay",
                                       "audit", "optimize", "notify", "assign", "close"};
    static const double logits[] = {2.2, 1.8, 1.4, 0.9, 0.2, 0.1, -0.3, -0.6, -0.8, -1.0};
    struct vocab v = {0};
    struct ls_error err = {{0}};
    int ok = 1;

    TAP_EQ_INT(vocab_load(&v, data_path("decisions.tsv"), NULL, &err), 0,
               "data/decisions.tsv loads: %s", err.msg);
    TAP_EQ_INT(v.n, 10, "ten tokens");
    for (size_t i = 0; i < v.n && i < 10; i++) {
        char buf[24];
        size_t len;
        const char *t = vocab_token(&v, i, buf, &len);
        ok &= len == strlen(toks[i]) && memcmp(t, toks[i], len) == 0 &&
              v.logits[i] == logits[i] && v.order[i] == i;
    }
    tap_ok(ok, "the lab's tokens and logits, already in descending order");
    vocab_free(&v);
}

static void test_good_files(void)
{
    struct settings s = {0};
    struct ls_error err = {{0}};
    const char *p = tmp_text("good.tsv",
                             "# comment\n\n  \n"
                             "greedy\t0\t0\t1\n"
                             "tab\\tname \\x41\t0.7\t50\t0.9\t0.05\r\n"
                             "same\t1\t0\t1e-3\t1\n"
                             "same\t1e2\t18446744073709551615\t1\t0\n"
                             "  spaced name  \t 1.5 \t 3 \t 0.5 \n");

    TAP_EQ_INT(settings_load(&s, p, &err), 0, "good settings load: %s", err.msg);
    TAP_EQ_INT(s.n, 5, "five rows");
    if (s.n == 5) {
        TAP_NEAR(P_T(s.items[0].params), 0, 0, "T = 0 is allowed (greedy)");
        TAP_EQ_STR(s.items[1].name, "tab\tname A", "escapes in the name, CRLF stripped");
        TAP_EQ_INT(P_K(s.items[1].params), 50, "top_k 50");
        TAP_NEAR(P_P(s.items[1].params), 0.9, 0, "top_p 0.9");
        TAP_NEAR(P_MINP(s.items[1].params), 0.05, 0, "min_p column");
        TAP_NEAR(P_MINP(s.items[0].params), 0, 0, "min_p defaults to 0");
        TAP_NEAR(P_P(s.items[2].params), 1e-3, 0, "tiny top_p");
        TAP_NEAR(P_MINP(s.items[2].params), 1, 0, "min_p 1 is allowed");
        tap_ok(strcmp(s.items[2].name, s.items[3].name) == 0, "duplicate names allowed");
        tap_ok(P_K(s.items[3].params) == (size_t)18446744073709551615u, "huge top_k");
        TAP_EQ_STR(s.items[4].name, "  spaced name  ", "name keeps its spaces");
        TAP_NEAR(P_T(s.items[4].params), 1.5, 0, "spaces around numbers");
    }
    settings_free(&s);
}

/* Every later parameter and the chain: positionally in the CSV's order, or named by a
 * header line in any order, empty fields taking the default. */
static void test_new_columns(void)
{
    struct settings s = {0};
    struct ls_error err = {{0}};
    const char *p = tmp_text("all.tsv",
                             "all\t0.8\t40\t0.95\t0.05\t0.9\t2\t0.1\t0.5\t0.3\t1.5\t0.001"
                             "\t0.002\t0.2\t3\ttop_n_sigma;top_k;typ_p;top_p;min_p;xtc;"
                             "temperature;epsilon;eta;top_a\n"
                             "short\t1\t0\t1\t\t\t\t\t\t\t\t\t\t\t\t\n"
                             "preset\t1\t0\t1\t0\t1\t0\t0.1\t0\t0\t1\t0\t0\t0\t0\tllama\n");
    TAP_EQ_INT(settings_load(&s, p, &err), 0, "sixteen columns load: %s", err.msg);
    if (s.n == 3) {
        const struct params *a = &s.items[0].params;
        tap_ok(params_real(a, PARAM_TYPICAL_P) == 0.9 && params_real(a, PARAM_TOP_N_SIGMA) == 2 &&
                   params_real(a, PARAM_XTC_THRESHOLD) == 0.1 &&
                   params_real(a, PARAM_XTC_PROBABILITY) == 0.5 &&
                   params_real(a, PARAM_DYNATEMP_RANGE) == 0.3 &&
                   params_real(a, PARAM_DYNATEMP_EXP) == 1.5 &&
                   params_real(a, PARAM_EPSILON) == 0.001 && params_real(a, PARAM_ETA) == 0.002 &&
                   params_real(a, PARAM_TOP_A) == 0.2 && params_whole(a, PARAM_MIN_KEEP) == 3,
               "every parameter in the CSV's column order");
        tap_ok(s.items[0].chain_given && a->chain.n == 10 &&
                   a->chain.stage[0] == SAMPLER_TOP_N_SIGMA && a->chain.stage[9] == SAMPLER_TOP_A,
               "the samplers column sets the chain, in order");
        struct params def = params_default();
        tap_ok(!s.items[1].chain_given && params_equal(&s.items[1].params, &def),
               "empty later columns take the defaults");
        tap_ok(s.items[2].chain_given &&
                   chain_which_preset(&s.items[2].params.chain) == PRESET_LLAMA,
               "a preset name in the samplers column");
    }
    settings_free(&s);
    p = tmp_text("header.tsv", "# named columns\n"
                               "name\ttop_p\tsamplers\tmin_keep\n"
                               "nucleus\t0.5\ttop_p;temperature\t2\n"
                               "defaults\n");
    TAP_EQ_INT(settings_load(&s, p, &err), 0, "a header line names the columns: %s", err.msg);
    if (s.n == 2) {
        tap_ok(P_P(s.items[0].params) == 0.5 &&
                   params_whole(&s.items[0].params, PARAM_MIN_KEEP) == 2 &&
                   s.items[0].params.chain.n == 2 && P_T(s.items[0].params) == 1,
               "named columns in any order, the rest default");
        struct params def = params_default();
        tap_ok(params_equal(&s.items[1].params, &def) && !s.items[1].chain_given,
               "a row of only a name is every default");
    }
    settings_free(&s);
    /* the samplers that need history: after samplers, in the CSV's order, then the
     * breakers; or by name */
    p = tmp_text("history.tsv",
                 "pos\t1\t0\t1\t0\t1\t0\t0.1\t0\t0\t1\t0\t0\t0\t0\tpenalties;dry;mirostat;"
                 "temperature\t1.3\t0.5\t-0.25\t-1\t0.8\t2\t3\t16\t2\t4\t0.2\t\\n;a\\x3bb\n");
    TAP_EQ_INT(settings_load(&s, p, &err), 0, "28 positional columns load: %s", err.msg);
    if (s.n == 1) {
        const struct params *a = &s.items[0].params;
        size_t len;
        tap_ok(params_real(a, PARAM_REPEAT_PENALTY) == 1.3 &&
                   params_real(a, PARAM_FREQUENCY_PENALTY) == 0.5 &&
                   params_real(a, PARAM_PRESENCE_PENALTY) == -0.25 &&
                   params_real(a, PARAM_REPEAT_LAST_N) == -1 &&
                   params_real(a, PARAM_DRY_MULTIPLIER) == 0.8 &&
                   params_real(a, PARAM_DRY_BASE) == 2 &&
                   params_real(a, PARAM_DRY_ALLOWED_LENGTH) == 3 &&
                   params_real(a, PARAM_DRY_PENALTY_LAST_N) == 16 &&
                   params_real(a, PARAM_MIROSTAT) == 2 && params_real(a, PARAM_MIROSTAT_ENT) == 4 &&
                   params_real(a, PARAM_MIROSTAT_LR) == 0.2 && a->breakers.n == 2 &&
                   strcmp(dry_breaker(&a->breakers, 1, &len), "a;b") == 0,
               "after samplers: penalties, DRY, mirostat, the breakers");
    }
    settings_free(&s);
    p = tmp_text("named.tsv", "name\tdry_sequence_breakers\tsamplers\tdry_multiplier\n"
                              "x\tnone\tdry;top_k\t1\n");
    TAP_EQ_INT(settings_load(&s, p, &err), 0, "the new columns by name: %s", err.msg);
    tap_ok(s.n == 1 && s.items[0].params.breakers.n == 0 &&
               params_real(&s.items[0].params, PARAM_DRY_MULTIPLIER) == 1,
           "none: no breakers");
    settings_free(&s);
    p = tmp_text("breakers_unused.tsv", "name\tdry_sequence_breakers\tsamplers\n"
                                        "x\tnone\ttop_k\n");
    expect_error(p, tmp_msg("%s:2: dry_sequence_breakers is set but dry is not in the chain "
                            "(top_k): add it, e.g. the samplers column: \"dry;top_k\"", p));
    p = tmp_text("last_n_half.tsv", "name\trepeat_last_n\tsamplers\nx\t1.5\tpenalties\n");
    expect_error(p, tmp_msg("%s:2: repeat_last_n must be a whole number from -1 to 2147483647, "
                            "got 1.5", p));
}

static void test_broken_files(void)
{
    const char *p;

    p = tmp_text("missing.tsv", "");
    unlink(p);
    expect_error(p, tmp_msg("%s: cannot open: No such file or directory", p));
    p = tmp_text("empty.tsv", "");
    expect_error(p, tmp_msg("%s: no settings (the file is empty)", p));
    p = tmp_text("comments.tsv", "# only\n\n# comments\n");
    expect_error(p, tmp_msg("%s: no settings (only comments or blank lines)", p));
    p = tmp_text("three.tsv", "# c\nok\t1\t0\t1\nshort\t1\t0\n");
    expect_error(p, tmp_msg("%s:3: expected 4 to 28 tab-separated columns (name, temperature, "
                            "top_k, top_p[, min_p, ..., samplers, repeat_penalty, ..., "
                            "dry_sequence_breakers]), found 3", p));
    p = tmp_text("six.tsv", "long\t1\t0\t1\t0\textra\n");
    expect_error(p, tmp_msg("%s:1: typical_p \"extra\": not a number", p));
    p = tmp_text("too_many.tsv", "x\t1\t0\t1\t0\t1\t0\t0.1\t0\t0\t1\t0\t0\t0\t0\thf\t1\t0\t0\t64"
                                  "\t0\t1.75\t2\t-1\t0\t5\t0.1\tnone\tmore\n");
    expect_error(p, tmp_msg("%s:1: expected 4 to 28 tab-separated columns (name, temperature, "
                            "top_k, top_p[, min_p, ..., samplers, repeat_penalty, ..., "
                            "dry_sequence_breakers]), found 29", p));
    p = tmp_text("spaces.tsv", "T=1 1 0 1\n");
    expect_error(p, tmp_msg("%s:1: expected 4 to 28 tab-separated columns (name, temperature, "
                            "top_k, top_p[, min_p, ..., samplers, repeat_penalty, ..., "
                            "dry_sequence_breakers]), found 1", p));
    p = tmp_text("typ_zero.tsv", "x\t1\t0\t1\t0\t0\n");
    expect_error(p, tmp_msg("%s:1: typical_p must be in (0, 1], got 0", p));
    p = tmp_text("keep_frac.tsv", "name\tmin_keep\nx\t1.5\n");
    expect_error(p, tmp_msg("%s:2: min_keep must be a whole number >= 0, got \"1.5\"", p));
    p = tmp_text("bad_chain.tsv", "x\t1\t0\t1\t0\t1\t0\t0.1\t0\t0\t1\t0\t0\t0\t0\ttop_k;nope\n");
    expect_error(p, tmp_msg("%s:1: samplers: unknown sampler \"nope\" (samplers: temperature, "
                            "top_k, top_p, min_p, typ_p, top_n_sigma, xtc, epsilon, eta, top_a, "
                            "penalties, dry, mirostat)", p));
    p = tmp_text("unused.tsv", "name\ttop_a\tsamplers\nx\t0.3\ttemperature;top_k\n");
    expect_error(p, tmp_msg("%s:2: top_a is set but top_a is not in the chain (temperature;top_k): "
                            "add it, e.g. the samplers column: \"temperature;top_k;top_a\"", p));
    p = tmp_text("bad_header.tsv", "name\ttemperature\tbogus\nx\t1\t2\n");
    expect_error(p, tmp_msg("%s:1: unknown column \"bogus\" in the header (columns: the CSV's "
                            "parameter names, samplers, order, dry_sequence_breakers)", p));
    p = tmp_text("twice_header.tsv", "name\teta\teta\n");
    expect_error(p, tmp_msg("%s:1: column \"eta\" appears twice in the header", p));
    p = tmp_text("long_row.tsv", "name\teta\nx\t0.1\t0.2\n");
    expect_error(p, tmp_msg("%s:2: expected at most 2 tab-separated columns (as the header names), "
                            "found 3", p));
    p = tmp_text("bad_order.tsv", "name\torder\nx\topenai\n");
    expect_error(p, tmp_msg("%s:2: order must be hf, llama, vllm or custom, got \"openai\"", p));
    p = tmp_text("t_word.tsv", "x\thot\t0\t1\n");
    expect_error(p, tmp_msg("%s:1: temperature \"hot\": not a number", p));
    p = tmp_text("t_junk.tsv", "x\t1.5x\t0\t1\n");
    expect_error(p, tmp_msg("%s:1: temperature \"1.5x\": trailing characters after the number", p));
    p = tmp_text("t_neg.tsv", "x\t-0.5\t0\t1\n");
    expect_error(p, tmp_msg("%s:1: temperature must be a finite number >= 0, got -0.5", p));
    p = tmp_text("t_inf.tsv", "x\tinf\t0\t1\n");
    expect_error(p, tmp_msg("%s:1: temperature must be a finite number >= 0, got inf", p));
    p = tmp_text("t_nan.tsv", "x\tnan\t0\t1\n");
    expect_error(p, tmp_msg("%s:1: temperature \"nan\": not a number (NaN)", p));
    p = tmp_text("t_range.tsv", "x\t1e999\t0\t1\n");
    expect_error(p, tmp_msg("%s:1: temperature \"1e999\": out of range", p));
    p = tmp_text("t_empty.tsv", "x\t\t0\t1\n");
    expect_error(p, tmp_msg("%s:1: temperature \"\": empty", p));
    p = tmp_text("k_neg.tsv", "x\t1\t-1\t1\n");
    expect_error(p, tmp_msg("%s:1: top_k must be a whole number >= 0 (0 = off), got \"-1\"", p));
    p = tmp_text("k_frac.tsv", "x\t1\t1.5\t1\n");
    expect_error(p, tmp_msg("%s:1: top_k must be a whole number >= 0 (0 = off), got \"1.5\"", p));
    p = tmp_text("p_zero.tsv", "x\t1\t0\t0\n");
    expect_error(p, tmp_msg("%s:1: top_p must be in (0, 1], got 0", p));
    p = tmp_text("p_big.tsv", "x\t1\t0\t1.5\n");
    expect_error(p, tmp_msg("%s:1: top_p must be in (0, 1], got 1.5", p));
    p = tmp_text("min_big.tsv", "x\t1\t0\t1\t2\n");
    expect_error(p, tmp_msg("%s:1: min_p must be in [0, 1], got 2", p));
    p = tmp_text("min_neg.tsv", "x\t1\t0\t1\t-0.1\n");
    expect_error(p, tmp_msg("%s:1: min_p must be in [0, 1], got -0.1", p));
    p = tmp_text("noname.tsv", "\t1\t0\t1\n");
    expect_error(p, tmp_msg("%s:1: the setting has no name", p));
    p = tmp_text("badname.tsv", "a\\qb\t1\t0\t1\n");
    expect_error(p, tmp_msg("%s:1: name has an unknown escape \\q (allowed: \\t \\n \\r \\e "
                            "\\\\ \\xHH \\uXXXX \\UXXXXXXXX)", p));
    p = tmp_text("ctrl.tsv", "x\t\x1b[2J\t0\t1\n");
    expect_error(p, tmp_msg("%s:1: temperature \"\\e[2J\": not a number", p));
}

int main(void)
{
    tmp_dir_make("settings");
    test_lab_settings();
    test_decisions();
    test_good_files();
    test_new_columns();
    test_broken_files();
    tmp_dir_remove();
    return tap_done();
}
