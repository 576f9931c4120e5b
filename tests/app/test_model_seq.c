/* test_model_seq.c: a sequence of positions in the model, without a terminal. Keys step
 * through the positions while the sliders and the chain stay; every position's numbers are a
 * direct engine run on its vocabulary; the count of chosen tokens outside the chain and the
 * jump to the next of them are checked against engine runs, whole-text (a small JSON
 * response) and over the visited positions (a .npy too big to run on every key). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "keys.h"
#include "model.h"
#include "model_fixture.h"
#include "npy_fixture.h"
#include "tap.h"
#include "engine/seq_fixture.h"

/* Six positions of top 3 (log-probabilities); the chosen token's rank is 1, 2, 1, 3, 1 and,
 * at the last, 4: " mat" is not in its list. top-k 1 cuts positions 2, 4 and 6, top-k 2 the
 * 4th and the 6th, top-k 3 the 6th. */
#define TOP3(a, x, b, y, c, z)                                                                   \
    "\"top_logprobs\": [{\"token\": \"" a "\", \"logprob\": " x "}, {\"token\": \"" b             \
    "\", \"logprob\": " y "}, {\"token\": \"" c "\", \"logprob\": " z "}]"
static const char seq_json[] =
    "{\"choices\": [{\"index\": 0, \"logprobs\": {\"content\": ["
    "{\"token\": \"The\", \"logprob\": -0.1, " TOP3("The", "-0.1", "A", "-2.5", "In", "-3") "},"
    "{\"token\": \" cat\", \"logprob\": -1.2, " TOP3(" dog", "-0.5", " cat", "-1.2", " fox", "-2") "},"
    "{\"token\": \" sat\", \"logprob\": -0.2, " TOP3(" sat", "-0.2", " lay", "-2.2", " ran", "-3.1") "},"
    "{\"token\": \" on\", \"logprob\": -1.6, " TOP3(" down", "-0.3", " up", "-1.5", " on", "-1.6") "},"
    "{\"token\": \" the\", \"logprob\": -0.05, " TOP3(" the", "-0.05", " a", "-3.5", " my", "-4") "},"
    "{\"token\": \" mat\", \"logprob\": -4, " TOP3(" rug", "-0.2", " floor", "-1.9", " bed", "-2.5") "}"
    "]}}]}";

static const size_t chosen_rank[6] = {0, 1, 0, 2, 0, 3};

static unsigned act(struct model *m, enum action_kind kind, int arg)
{
    struct action a = {kind, arg, 0.0};
    return model_update(m, &a);
}

static void start(struct model *m, const struct source *src, size_t position, struct params p)
{
    struct model_config c = {.source = src, .position = position, .source_name = "t",
                             .params = p, .samples = 1000, .seed = 7};
    model_or_bail(m, &c);
}

/* The model's distribution is a fresh engine run on position i's own vocabulary. */
static bool is_engine_at(const struct model *m, struct seq *s, size_t i)
{
    const struct vocab *v = seq_vocab(s, i, NULL);
    struct dist d;
    if (!v || m->vocab != v || dist_init(&d, v) != 0)
        return false;
    engine_apply(&d, &m->params);
    engine_draw(&d, m->samples, m->seed);
    bool same = d.kept == m->dist.kept && d.entropy_bits == m->dist.entropy_bits &&
                d.top_prob == m->dist.top_prob;
    for (size_t r = 0; same && r < v->n; r++)
        same = dist_prob_rank(&d, r) == dist_prob_rank(&m->dist, r) &&
               dist_count_rank(&d, r) == dist_count_rank(&m->dist, r);
    dist_free(&d);
    return same;
}

/* How many positions' chosen tokens an engine run with p cuts, and the first from `from`
 * on (round to the start), counted directly. */
static size_t outside_by_engine(struct seq *s, const struct params *p, size_t from,
                                size_t *first)
{
    size_t count = 0;
    *first = SOURCE_NONE;
    for (size_t k = 0; k < s->n; k++) {
        size_t i = (from + k) % s->n;
        const struct vocab *v = seq_vocab(s, i, NULL);
        struct dist d;
        if (!v || dist_init(&d, v) != 0)
            return SOURCE_NONE;
        engine_apply(&d, p);
        size_t r = source_rank_of(v, s->pos[i].chosen);
        if (!dist_is_kept(&d, r)) {
            count++;
            if (*first == SOURCE_NONE && k > 0)
                *first = i;
        }
        dist_free(&d);
    }
    return count;
}

static void test_steps(struct seq *s, const struct source *src)
{
    struct model m;
    start(&m, src, 2, params_default());
    tap_ok(model_is_sequence(&m) && m.seq.pos == 2 && is_engine_at(&m, s, 2),
           "opens at the position asked for, its numbers the engine's");
    TAP_EQ_INT(m.seq.chosen_rank, 0, "its chosen token ' sat' is rank 1");
    press(&m, 'l');
    struct params p = m.params;
    unsigned long applies = m.applies;
    unsigned ch = press(&m, 'n');
    tap_ok((ch & MODEL_CHANGED_PARAMS) && m.seq.pos == 3 && is_engine_at(&m, s, 3),
           "n: the next position, computed again");
    tap_ok(params_equal(&p, &m.params), "the sliders and the chain stay as they are");
    TAP_EQ_INT(m.applies - applies, 1, "one engine run for the step");
    TAP_EQ_INT(m.seq.chosen_rank, 2, "' on' is rank 3 there");
    press(&m, 'p');
    press(&m, 'p');
    tap_ok(m.seq.pos == 1 && is_engine_at(&m, s, 1), "p p: two back");
    press(&m, '$');
    tap_ok(m.seq.pos == 5 && is_engine_at(&m, s, 5), "$: the last position");
    TAP_EQ_INT(m.seq.chosen_rank, 3, "' mat', not listed, was added last: rank 4");
    TAP_EQ_INT(press(&m, 'n'), MODEL_CHANGED_NONE, "n at the last: nothing");
    press(&m, '^');
    tap_ok(m.seq.pos == 0 && is_engine_at(&m, s, 0), "^: the first position");
    TAP_EQ_INT(press(&m, 'p'), MODEL_CHANGED_NONE, "p at the first: nothing");
    act(&m, ACT_POSITION_SET, 4);
    tap_ok(m.seq.pos == 4 && is_engine_at(&m, s, 4), "a click on position 5 goes there");
    act(&m, ACT_POSITION_SET, 99);
    TAP_EQ_INT(m.seq.pos, 5, "past the last: the last");
    press(&m, ' ');
    press(&m, 'p');
    TAP_EQ_INT(model_gen_len(&m), 0, "the generated line starts over at another position");
    model_free(&m);
}

static void test_outside(struct seq *s, const struct source *src)
{
    struct model m;
    start(&m, src, 0, params_default());
    tap_ok(m.seq.whole, "a small response: every position is run on each chain change");
    tap_ok(m.seq.seen == 6 && m.seq.outside == 0, "no filter: 0 of 6 outside");
    press(&m, KEYC_DOWN); /* top-k */
    press(&m, 'l');
    size_t first, want = outside_by_engine(s, &m.params, 0, &first);
    tap_ok(m.seq.seen == 6 && m.seq.outside == want && want == 3,
           "top-k 1: 3 of 6 chosen tokens outside, as engine runs say");
    bool marks = true;
    for (size_t i = 0; i < 6; i++) {
        const struct vocab *v = seq_vocab(s, i, NULL);
        struct dist d;
        dist_init(&d, v);
        engine_apply(&d, &m.params);
        marks = marks && m.seq.rank[i] == chosen_rank[i] && m.seq.bits[i] == d.entropy_bits &&
                m.seq.mark[i] == (chosen_rank[i] >= 1 ? MODEL_MARK_OUTSIDE : MODEL_MARK_KEPT);
        dist_free(&d);
    }
    tap_ok(marks, "each position's mark and entropy are its engine run's");
    press(&m, 'f');
    TAP_EQ_INT(m.seq.pos, 1, "f: position 2, the first outside");
    press(&m, 'f');
    TAP_EQ_INT(m.seq.pos, 3, "f: then position 4");
    press(&m, 'f');
    press(&m, 'f');
    TAP_EQ_INT(m.seq.pos, 1, "f f: position 6, then round to position 2");
    press(&m, 'l');
    want = outside_by_engine(s, &m.params, m.seq.pos, &first);
    tap_ok(m.seq.outside == 2 && want == 2, "top-k 2: 2 of 6");
    press(&m, 'f');
    tap_ok(m.seq.pos == first && first == 3, "f: the next from here, position 4");
    press(&m, 'l');
    press(&m, 'f');
    press(&m, 'f');
    tap_ok(m.seq.outside == 1 && m.seq.pos == 5, "top-k 3: only ' mat' is outside");
    tap_ok(strstr(m.message, "no other") != NULL, "f with no other says so: %s", m.message);
    press(&m, '0');
    press(&m, 'f');
    tap_ok(m.seq.outside == 0 && m.seq.pos == 5 && strstr(m.message, "every chosen token"),
           "top-k off: none outside, f says so");
    model_free(&m);
}

/* With the plot and A/B compare open, a step rebinds their dists too. */
static void test_panels(struct seq *s, const struct source *src)
{
    struct model m;
    start(&m, src, 0, params_default());
    press(&m, 'c');
    press(&m, '[');
    press(&m, 'g');
    press(&m, 'n');
    struct dist d;
    dist_init(&d, seq_vocab(s, 1, NULL));
    engine_apply(&d, &m.pin);
    tap_ok(m.compare && m.dist_a.vocab == m.vocab && m.dist_a.entropy_bits == d.entropy_bits,
           "compare: A is the pinned settings' engine run at the new position");
    struct params p = m.params;
    params_set(&p, PARAM_TEMPERATURE, model_curve_t(&m, 3));
    engine_apply(&d, &p);
    tap_ok(m.curve.valid && m.curve.bits[3] == d.entropy_bits,
           "the plot's curve is the new position's");
    dist_free(&d);
    model_free(&m);
}

/* A .npy wider than MODEL_SCAN_WORK allows to run whole: only the positions visited since
 * the chain changed are counted; f runs the others as it goes. */
static void test_visited(void)
{
    enum { ROWS = 4 };
    const size_t V = MODEL_SCAN_WORK / ROWS + 1; /* one token too many to run whole */
    float *x = malloc(sizeof *x * ROWS * V);
    for (size_t r = 0; r < ROWS; r++)
        for (size_t i = 0; i < V; i++)
            x[r * V + i] = (float)(-(double)((i * 7919 + r * 13) % V) / 4000.0);
    char shape[32];
    snprintf(shape, sizeof shape, "(%d, %zu)", ROWS, V);
    const char *npy = npy_write("wide.npy", "<f4", shape, x, sizeof *x * ROWS * V);
    /* each row's best token is the one with (i * 7919 + r * 13) % V == 0; position 3 chose
     * another */
    char ids[128];
    size_t best[ROWS];
    for (size_t r = 0; r < ROWS; r++)
        for (size_t i = 0; i < V; i++)
            if ((i * 7919 + r * 13) % V == 0)
                best[r] = i;
    snprintf(ids, sizeof ids, "%zu\n%zu\n%zu\n%zu\n", best[0], best[1], (best[2] + 1) % V,
             best[3]);
    struct seq_opts o = {.tokens_path = tmp_text("ids.txt", ids)};
    struct seq s;
    fx_load_ok(&s, npy, &o);
    struct source src;
    source_of_seq(&src, &s);
    struct model m;
    start(&m, &src, 0, params_default());
    tap_ok(!m.seq.whole && m.seq.seen == 1 && m.seq.outside == 0,
           "4 x %zu: only the position visited is counted", V);
    press(&m, KEYC_DOWN);
    press(&m, 'l'); /* top-k 1 */
    tap_ok(m.seq.seen == 1 && m.seq.mark[1] == MODEL_MARK_UNSEEN,
           "a chain change forgets the others");
    unsigned long scans = m.seq.scan_applies;
    press(&m, 'f');
    tap_ok(m.seq.pos == 2 && m.seq.outside == 1 && m.seq.seen == 3 &&
               m.seq.scan_applies - scans == 2,
           "f runs positions 2 and 3, stops at 3: 1 of 3 seen outside");
    tap_ok(is_engine_at(&m, &s, 2), "... and shows position 3 as the engine computes it");
    press(&m, 'n');
    tap_ok(m.seq.seen == 4 && m.seq.mark[3] == MODEL_MARK_KEPT, "n: position 4 is counted");
    press(&m, 'p');
    press(&m, 'p');
    tap_ok(m.seq.pos == 1 && is_engine_at(&m, &s, 1),
           "back to position 2: the shared vocabulary refilled with its row");
    model_free(&m);
    seq_free(&s);
    free(x);
}

static void test_single(void)
{
    struct vocab v;
    const double logits[] = {1.0, 0.5};
    vocab_from_logits(&v, logits, 2, NULL, NULL);
    struct model_config c = {.vocab = &v, .params = params_default(), .samples = 10, .seed = 1};
    struct model m;
    model_init(&m, &c, NULL);
    tap_ok(!model_is_sequence(&m) && m.seq.chosen_rank == SOURCE_NONE,
           "one vocabulary: no positions, no chosen token");
    press(&m, 'n');
    tap_ok(m.seq.pos == 0 && strstr(m.message, "one vocabulary") != NULL,
           "n says there are no positions: %s", m.message);
    model_free(&m);
    vocab_free(&v);
}

/* The history samplers read the tokens chosen before: "a" again at the second position is
 * pushed down by a presence penalty, and the chosen token's rank follows the order shown. */
static void test_history(void)
{
    static const char json[] =
        "{\"choices\": [{\"index\": 0, \"logprobs\": {\"content\": ["
        "{\"token\": \"a\", \"logprob\": -0.2, \"top_logprobs\": [{\"token\": \"a\", "
        "\"logprob\": -0.2}, {\"token\": \"b\", \"logprob\": -2}]},"
        "{\"token\": \"a\", \"logprob\": -0.5, \"top_logprobs\": [{\"token\": \"a\", "
        "\"logprob\": -0.5}, {\"token\": \"b\", \"logprob\": -1.2}, {\"token\": \"c\", "
        "\"logprob\": -1.4}]}]}}]}";
    struct seq s;
    struct source src;
    struct model m;
    struct ls_error err = {{0}};
    char buf[24];
    fx_load_ok(&s, tmp_text("repeat.json", json), NULL);
    source_of_seq(&src, &s);
    struct params p = params_default();
    chain_parse_names("penalties;temperature", &p.chain, &err);
    params_set(&p, PARAM_PRESENCE_PENALTY, 2);
    start(&m, &src, 1, p);
    size_t r = m.seq.chosen_rank, len = 0;
    const char *tok = r < m.vocab->n ? vocab_token(m.vocab, m.vocab->order[r], buf, &len) : "";
    tap_ok(r == 2 && len == 1 && tok[0] == 'a',
           "opened at the repeat with a presence penalty: the chosen \"a\" is third (%zu)", r);
    model_update(&m, &(struct action){ACT_SET, PARAM_PRESENCE_PENALTY, 0.0});
    r = m.seq.chosen_rank;
    tok = r < m.vocab->n ? vocab_token(m.vocab, m.vocab->order[r], buf, &len) : "";
    tap_ok(r == 0 && len == 1 && tok[0] == 'a',
           "the penalty off: \"a\" is first again (%zu)", r);
    model_free(&m);
    seq_free(&s);
}

int main(void)
{
    tmp_dir_make("model-seq");
    struct seq s;
    fx_load_ok(&s, tmp_text("six.json", seq_json), NULL);
    struct source src;
    source_of_seq(&src, &s);
    test_steps(&s, &src);
    test_outside(&s, &src);
    test_panels(&s, &src);
    seq_free(&s);
    test_visited();
    test_single();
    test_history();
    tmp_dir_remove();
    return tap_done();
}
