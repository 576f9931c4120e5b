/* keyqueue.c: waiting keys, read ahead: quits first, runs of steps merged. */
#include "keyqueue.h"

void key_queue_clear(struct key_queue *q)
{
    q->head = q->n = 0;
}

bool key_queue_push(struct key_queue *q, int key)
{
    if (q->n >= KEY_QUEUE_MAX)
        return false;
    q->keys[q->n++] = key;
    return true;
}

bool key_queue_empty(const struct key_queue *q)
{
    return q->head >= q->n;
}

int key_queue_pop(struct key_queue *q)
{
    return q->keys[q->head++];
}

/* A key after which the keys mean other things: help, the picker, a typing line. */
static bool key_opens_mode(enum action_kind k)
{
    return k == ACT_HELP || k == ACT_CHAIN_PICK || k == ACT_PROMPT_OPEN;
}

bool key_queue_quits(const struct model *m, int key, const struct key_queue *q)
{
    if (m->help || key_opens_mode(model_key_action(m, key).kind))
        return false;
    for (int i = q->head; i < q->n; i++) {
        enum action_kind k = model_key_action(m, q->keys[i]).kind;
        if (k == ACT_QUIT)
            return true;
        if (key_opens_mode(k))
            return false;
    }
    return false;
}

struct action key_queue_steps(const struct model *m, struct key_queue *q, struct action a)
{
    /* with help or the picker open the first key only closes it: the others step after */
    if (m->help || m->picker || m->prompt.kind)
        return a;
    while (!key_queue_empty(q)) {
        struct action next = model_key_action(m, q->keys[q->head]);
        if (next.kind != ACT_STEP || (next.arg > 0) != (a.arg > 0))
            break;
        a.arg += next.arg;
        q->head++;
    }
    return a;
}
