#!/bin/sh
# completion.sh SHELL SCRIPT EXE: the generated completion SCRIPT for SHELL (bash, zsh, fish)
# loads, and completes options, values and files as the option table says. The options each
# command is offered are compared with those its --help lists (EXE is logitscope).
# Exit 0 = pass, 1 = fail, 77 = skip (the shell is not installed).
set -u
shell=$1 script=$2 exe=$3
command -v "$shell" >/dev/null 2>&1 || { echo "$shell not found"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() {
    echo "FAIL: $*"
    failed=1
}

# The long options in `logitscope [sweep|generate] --help`, one per line, sorted: rows start with
# "  -t, --name" or "      --name".
help_options() {
    "$exe" "$@" --help |
        sed -n -E 's/^  (-[a-zA-Z], )?--([a-z-]+).*/--\2/p; s/^      --([a-z-]+).*/--\1/p' |
        sort
}
help_options >"$tmp/explore.want"
help_options sweep >"$tmp/sweep.want"
help_options generate >"$tmp/generate.want"
[ "$(wc -l <"$tmp/sweep.want")" -gt 20 ] || fail "sweep --help lists too few options"
[ "$(wc -l <"$tmp/generate.want")" -gt 20 ] || fail "generate --help lists too few options"

mkdir "$tmp/dir" && : >"$tmp/dir/logits one.tsv" && : >"$tmp/dir/vocab.txt"

# expect WANT WORDS...: completing the last of WORDS (with c, per shell) offers WANT, the
# candidates sorted and each followed by a space. c runs in a subshell: it reports its own
# failures on stdout, as a candidate no WANT has.
expect() {
    want=$1
    shift
    got=$(c "$@" | sort | tr '\n' ' ')
    [ "$got" = "$want" ] || fail "completing [$*] gives [$got], want [$want]"
}

# $cmd.got: the options of each command, in the same form as $cmd.want; then compared.
same_options() {
    what=$1
    for cmd in explore sweep generate; do
        cmp -s "$tmp/$cmd.want" "$tmp/$cmd.got" || {
            fail "$cmd: $what differ from --help (< help, > completion):"
            diff "$tmp/$cmd.want" "$tmp/$cmd.got"
        }
    done
}

# What is offered for "--" after each command.
offered_options() {
    c logitscope -- | grep -E -- '^(--|\()' | sort >"$tmp/explore.got"
    c logitscope sweep -- | grep -E -- '^(--|\()' | sort >"$tmp/sweep.got"
    c logitscope generate -- | grep -E -- '^(--|\()' | sort >"$tmp/generate.got"
    same_options "the options offered"
}

case $shell in
bash)
    # _logitscope as readline would call it for the words given; prints `complete -p` first.
    cat >"$tmp/run.bash" <<'EOS'
source "$1" || exit 1
shift
complete -p logitscope
COMP_WORDS=("$@")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMPREPLY=()
_logitscope
(( ${#COMPREPLY[@]} == 0 )) || printf '%s\n' "${COMPREPLY[@]}"
EOS
    c() {
        bash "$tmp/run.bash" "$script" "$@" >"$tmp/got" 2>"$tmp/err" ||
            echo "(bash fails: $(cat "$tmp/err"))"
        grep -q '^complete -F _logitscope logitscope$' "$tmp/got" ||
            echo "(not registered: $(head -n 1 "$tmp/got"))"
        sed 1d "$tmp/got"
    }
    expect '--ascii ' logitscope --as
    expect '' logitscope sweep --as
    # --opt=value as one word, and split at = as readline's COMP_WORDBREAKS does by default
    expect '--format=summary ' logitscope sweep --format=s
    expect 'summary ' logitscope sweep --format = s
    expect 'hf llama vllm ' logitscope sweep --order ''
    expect '--samplers=min_p;top_p ' logitscope --samplers='min_p;top_p'
    expect '' logitscope -t ''
    expect "$tmp/dir/logits one.tsv " logitscope sweep --vocab "$tmp/dir/l"
    expect "--vocab=$tmp/dir/vocab.txt " logitscope --vocab="$tmp/dir/v"
    expect "$tmp/dir/logits one.tsv " logitscope sweep -- "$tmp/dir/l"
    expect '' logitscope -- --as
    ;;
zsh)
    zsh -n "$script" || fail "zsh -n"
    [ "$(head -n 1 "$script")" = "#compdef logitscope" ] || fail "no #compdef line"
    # the options of each command's branch, from its specs (--name= --name'[ ,--name }), are
    # those its --help lists
    sed -n '/^    else/,/^    fi/p' "$script" >"$tmp/explore.specs"
    sed -n '/words\[2\] == sweep/,/^    elif/p' "$script" >"$tmp/sweep.specs"
    sed -n '/words\[2\] == generate/,/^    else/p' "$script" >"$tmp/generate.specs"
    for cmd in explore sweep generate; do
        grep -oE -- "--[a-z-]+[]=',}[]" "$tmp/$cmd.specs" | sed 's/.$//' | sort -u >"$tmp/$cmd.got"
    done
    same_options "the zsh specs"
    ;;
fish)
    fish -n "$script" || fail "fish -n"
    c() {
        fish -c "source '$script'; complete -C'$*'" 2>"$tmp/err" | cut -f 1
        [ ! -s "$tmp/err" ] || echo "(fish says: $(cat "$tmp/err"))"
    }
    ;;
*)
    echo "unknown shell $shell"
    exit 1
    ;;
esac
if [ "$shell" != zsh ]; then
    expect '--format ' logitscope sweep --for
    expect '' logitscope --for
    expect 'csv ' logitscope sweep --format c
    expect 'llama ' logitscope --order ll
    expect 'top_k,temperature ' logitscope sweep --samplers top_k,te
    expect 'sweep ' logitscope sw
    expect 'generate ' logitscope gen
    expect 'json text ' logitscope generate --format ''
    expect '--words ' logitscope generate --wo
    expect '' logitscope sweep --wo
    expect '--lm ' logitscope sweep --l
    expect '--ascii ' logitscope generate --as
    offered_options
fi
[ "$failed" -eq 0 ] && echo "ok: $shell completion"
exit "$failed"
