/* keyqueue.h: the keys a slow update left waiting (a huge N, a big vocabulary), taken at once
 * so that a quit among them acts before anything else and a run of steps the same way costs
 * one update. The terminal fills it (src/tui); what a key means is the model's. */
#ifndef LOGITSCOPE_APP_KEYQUEUE_H
#define LOGITSCOPE_APP_KEYQUEUE_H

#include <stdbool.h>

#include "action.h"
#include "model.h"

#define KEY_QUEUE_MAX 64

struct key_queue {
    int keys[KEY_QUEUE_MAX];
    int head, n;
};

void key_queue_clear(struct key_queue *q);
/* False when the queue is full (the key is not taken). */
bool key_queue_push(struct key_queue *q, int key);
bool key_queue_empty(const struct key_queue *q);
/* The oldest key; the queue must not be empty. */
int key_queue_pop(struct key_queue *q);

/* Whether a quit waits in the queue behind `key` (the key being handled), the keys read as
 * the explorer is now (a typing line takes q as a letter, Ctrl-C still quits). Nothing quits
 * when key opens help, the picker or a typing line, or help is open (its first key closes
 * it); the scan stops at a key that opens one, after which keys mean other things. */
bool key_queue_quits(const struct model *m, int key, const struct key_queue *q);

/* a, a step, with the steps the same way waiting right behind it taken into it (none while
 * help, the picker or a typing line is open: there the first key only closes it). */
struct action key_queue_steps(const struct model *m, struct key_queue *q, struct action a);

#endif
