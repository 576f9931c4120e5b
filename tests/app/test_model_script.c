/* test_model_script.c: what a key script tells the model: its captions (ACT_SAY), which get a
 * row of the layout while one is shown, and on the live terminal that it plays and who has
 * the keys (ACT_PLAY). */
#include <stdio.h>
#include <string.h>

#include "keymap.h"
#include "keys.h"
#include "model.h"
#include "tap.h"
#include "lab_fixture.h"

static const char *const captions[] = {"T divides the logits", "", "the second caption"};

static void start(struct model *m, const struct vocab *v)
{
    struct model_config c = {.vocab = v, .source_name = "decisions.tsv",
                             .params = params_default(), .samples = 10000, .seed = 1,
                             .script_name = "lab.play", .captions = captions,
                             .n_captions = 3};
    model_or_bail(m, &c);
}

static unsigned act(struct model *m, enum action_kind kind, int arg)
{
    struct action a = {kind, arg, 0.0};
    return model_update(m, &a);
}

static void test_say(const struct vocab *v)
{
    struct model m;
    start(&m, v);
    int hist = m.layout.hist.h, status_y = m.layout.status.y;
    tap_ok(m.caption == NULL && m.layout.caption.h == 0, "no caption at first, and no row");
    unsigned ch = act(&m, ACT_SAY, 0);
    tap_ok(ch == MODEL_CHANGED_VIEW && m.caption == captions[0], "say 0 shows caption 0");
    tap_ok(m.layout.caption.h == 1 && m.layout.caption.y == status_y - 1 &&
               m.layout.status.y == status_y && m.layout.hist.h == hist - 1,
           "its row is over the status line; the histogram gives it one of its rows");
    TAP_EQ_INT(act(&m, ACT_SAY, 0), MODEL_CHANGED_NONE, "the same caption again changes nothing");
    /* a caption is not a person's doing: the message and the help stay */
    press(&m, 's');
    tap_ok(m.message[0] != '\0', "s leaves a message");
    act(&m, ACT_SAY, 2);
    tap_ok(m.caption == captions[2] && strncmp(m.message, "new seed", 8) == 0,
           "the next caption replaces it, and the message stays");
    press(&m, '?');
    act(&m, ACT_SAY, 0);
    tap_ok(m.help && m.caption == captions[0], "help stays open under a new caption");
    press(&m, '?');
    act(&m, ACT_SAY, 1);
    tap_ok(m.caption == NULL && m.layout.caption.h == 0 && m.layout.hist.h == hist,
           "say \"\" takes the caption and its row away");
    act(&m, ACT_SAY, 2);
    act(&m, ACT_SAY, 3);
    tap_ok(m.caption == NULL, "a caption the model was not given is none");
    act(&m, ACT_SAY, 2);
    act(&m, ACT_SAY, -1);
    tap_ok(m.caption == NULL, "nor is a negative one");
    /* r resets the settings, not the script's caption; a size too small hides it, and it
     * comes back */
    act(&m, ACT_SAY, 0);
    press(&m, 'r');
    tap_ok(m.caption == captions[0] && m.layout.caption.h == 1, "r keeps the caption");
    model_update(&m, &(struct action){ACT_RESIZE, 20, 5.0});
    act(&m, ACT_SAY, 2);
    tap_ok(m.layout.too_small && m.caption == captions[2],
           "too small: captions still follow the script");
    model_update(&m, &(struct action){ACT_RESIZE, LAYOUT_MIN_COLS, (double)LAYOUT_MIN_ROWS});
    tap_ok(m.layout.caption.h == 1 && m.layout.caption.y == LAYOUT_MIN_ROWS - 2,
           "at the least size the caption has its row");
    model_free(&m);
}

static void test_play(const struct vocab *v)
{
    struct model m;
    start(&m, v);
    TAP_EQ_INT(act(&m, ACT_PLAY, MODEL_PLAY_LIVE), MODEL_CHANGED_VIEW, "a script plays live");
    tap_ok(m.playing, "the model knows");
    act(&m, ACT_SAY, 0);
    press(&m, KEYC_RIGHT); /* a person's key, taken like any key ... */
    act(&m, ACT_PLAY, MODEL_PLAY_PERSON); /* ... then the tui says whose it was */
    tap_ok(!m.playing && m.caption == NULL && strcmp(m.message, "you have the keys") == 0 &&
               params_real(&m.params, PARAM_TEMPERATURE) > 1.0,
           "a person's key takes over: it is taken, the caption goes, a message says so");
    TAP_EQ_INT(act(&m, ACT_PLAY, MODEL_PLAY_PERSON), MODEL_CHANGED_NONE,
               "later keys say nothing more");
    /* a key with a message of its own keeps it, after the news */
    act(&m, ACT_PLAY, MODEL_PLAY_LIVE);
    press(&m, 's');
    char seed[MODEL_MESSAGE_MAX], want[MODEL_MESSAGE_MAX + 32];
    snprintf(seed, sizeof seed, "%s", m.message);
    snprintf(want, sizeof want, "you have the keys; %s", seed);
    act(&m, ACT_PLAY, MODEL_PLAY_PERSON);
    TAP_EQ_STR(m.message, want, "the key's own message follows");
    /* a script that plays to its end keeps its last caption until a person's key, which
     * then has nothing to say about the keys */
    act(&m, ACT_PLAY, MODEL_PLAY_LIVE);
    act(&m, ACT_SAY, 2);
    act(&m, ACT_PLAY, MODEL_PLAY_DONE);
    tap_ok(!m.playing && m.caption == captions[2], "at its end the last caption stays");
    press(&m, KEYC_LEFT);
    act(&m, ACT_PLAY, MODEL_PLAY_PERSON);
    tap_ok(m.caption == NULL && m.message[0] == '\0',
           "a person's first key then takes it away, quietly");
    model_free(&m);
}

int main(void)
{
    struct vocab v;
    lab_vocab(&v);
    test_say(&v);
    test_play(&v);
    vocab_free(&v);
    return tap_done();
}
