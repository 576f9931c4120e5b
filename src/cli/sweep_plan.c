/* sweep_plan.c: which settings `logitscope sweep` runs, in which order: the rows of a
 * settings file, or the cross product of the command line's value lists. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "datapath.h"
#include "logitscope/settings.h"
#include "options.h"
#include "sweep_internal.h"

char *sweep_data(const char *rel, struct ls_error *err)
{
    char *path = data_find(rel);
    if (!path)
        ls_error_set(err, "cannot find the bundled data/%s (set LOGITSCOPE_DATA to the data "
                     "directory)", rel);
    return path;
}

static int sweep_plan_file(struct sweep_plan *plan, const char *path, struct ls_error *err)
{
    if (settings_load(&plan->loaded, path, err))
        return -1;
    plan->from_file = true;
    plan->n = plan->loaded.n;
    return 0;
}

int sweep_plan_build(struct sweep_plan *plan, const struct cli_opts *o, bool sequence,
                     struct ls_error *err)
{
    if (o->settings_path)
        return sweep_plan_file(plan, o->settings_path, err);
    if (!opt_any_param(o) && !sequence) {
        char *path = sweep_data("sweeps/temperature.tsv", err);
        int rc = path ? sweep_plan_file(plan, path, err) : -1;
        free(path);
        return rc;
    }
    plan->n = 1;
    for (int i = 0; i < PARAM_COUNT; i++) {
        plan->dim[i] = o->lists[i].n ? o->lists[i].n : 1;
        if (plan->n > OPT_MAX_VALUES / plan->dim[i])
            return ls_error_set(err, "too many settings in the cross product (at most %u)",
                                OPT_MAX_VALUES);
        plan->n *= plan->dim[i];
    }
    return 0;
}

void sweep_plan_free(struct sweep_plan *plan)
{
    if (plan->from_file)
        settings_free(&plan->loaded);
}

/* "T=0.7" plus each other parameter the command line named, by its flag: "T=0.7, top-k=50,
 * top-p=0.9". */
static void sweep_name(const struct cli_opts *o, const struct params *p, char *buf,
                       size_t cap)
{
    char num[40];
    size_t len;
    param_format_double(params_real(p, PARAM_TEMPERATURE), num, sizeof num);
    len = (size_t)snprintf(buf, cap, "T=%s", num);
    for (int i = 0; i < PARAM_COUNT && len < cap; i++) {
        if (i == PARAM_TEMPERATURE || !o->lists[i].n)
            continue;
        param_format(p, (enum param_id)i, num, sizeof num);
        len += (size_t)snprintf(buf + len, cap - len, ", %s=%s",
                                param_spec((enum param_id)i)->flag + 2, num);
    }
}

const char *sweep_setting(const struct sweep_plan *plan, const struct cli_opts *o,
                          size_t i, struct params *p, char *buf, size_t cap,
                          struct ls_error *err)
{
    if (plan->from_file) {
        const struct setting *st = &plan->loaded.items[i];
        *p = st->params;
        if (!st->chain_given)
            p->chain = o->chain;
        int bad = params_unused(p);
        if (bad >= 0) {
            char why[400];
            params_unused_message(p, (enum param_id)bad, false, "--samplers", why, sizeof why);
            ls_error_set(err, "%s:%zu: %s", o->settings_path ? o->settings_path
                                                             : "sweeps/temperature.tsv",
                         st->line, why);
        }
        return st->name;
    }
    *p = params_default();
    p->chain = o->chain;
    p->breakers = o->breakers;
    for (int k = PARAM_COUNT - 1; k >= 0; k--) { /* the last parameter varies fastest */
        size_t at = i % plan->dim[k];
        i /= plan->dim[k];
        if (o->lists[k].n)
            opt_values_apply(&o->lists[k], at, p);
    }
    sweep_name(o, p, buf, cap);
    return buf;
}

bool sweep_plan_reads_history(const struct sweep_plan *plan, const struct cli_opts *o)
{
    for (size_t i = 0; i < plan->n; i++) {
        char buf[256];
        struct params p;
        struct ls_error err = {{0}};
        sweep_setting(plan, o, i, &p, buf, sizeof buf, &err);
        if (!err.msg[0] && (chain_has(&p.chain, SAMPLER_PENALTIES) ||
                            chain_has(&p.chain, SAMPLER_DRY) ||
                            chain_has(&p.chain, SAMPLER_MIROSTAT)))
            return true;
    }
    return false;
}

int sweep_history_unused(const struct sweep_plan *plan, const struct cli_opts *o,
                         struct ls_error *err)
{
    if (!o->history || sweep_plan_reads_history(plan, o))
        return 0;
    return ls_error_set(err, "--history is set but no sampler of the chain reads it: add "
                             "penalties, dry or mirostat, e.g. --samplers "
                             "\"penalties;temperature;top_k;top_p;min_p;typ_p;epsilon;eta\"");
}
