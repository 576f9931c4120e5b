#!/bin/sh
# generate.sh EXE CASE [GOLDEN]: one check of `logitscope generate` and of the language model
# in sweep and the explorer, mostly on a small ARPA model written here (the one of
# tests/engine/lm_fixture.h, whose back-off is worked out by hand there). Cases that need
# Debian's en-us.lm.bin skip (77) without it. Exit 0 = pass, 1 = fail.
# Set LOGITSCOPE_GOLDEN_UPDATE=1 to rewrite a GOLDEN file from the current output instead.
set -u
exe=$1 case=$2
golden=${3:-}
en_us=/usr/share/pocketsphinx/model/en-us/en-us.lm.bin
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
unset LOGITSCOPE_LM

fail() {
    echo "FAIL: $*"
    [ -f "$tmp/out" ] && { echo "--- stdout (first lines)"; head -n 20 "$tmp/out"; }
    [ -f "$tmp/err" ] && { echo "--- stderr"; cat "$tmp/err"; }
    exit 1
}

# Runs logitscope; status in $status, output in $tmp/out and $tmp/err.
run() {
    "$exe" "$@" >"$tmp/out" 2>"$tmp/err"
    status=$?
}

ok() {
    run "$@"
    [ "$status" -eq 0 ] || fail "logitscope $*: exit status $status, want 0"
}

# Words (ids): </s> 0, <s> 1, a 2, b 3, c 4, <unk> 5.
small=$tmp/small.arpa
printf '%s\n' '\data\' 'ngram 1=6' 'ngram 2=5' 'ngram 3=3' '' '\1-grams:' \
    '-1.0	</s>' '-99	<s>	-0.5' '-0.8	a	-0.3' '-0.9	b	-0.2' '-1.2	c	-0.4' \
    '-2.0	<unk>' '' '\2-grams:' '-0.2	<s> a	-0.1' '-0.4	a b	-0.25' '-0.3	a c' \
    '-0.6	b </s>' '-0.5	b a	-0.15' '' '\3-grams:' '-0.05	<s> a b' '-0.1	a b </s>' \
    '-0.2	b a c' '' '\end\' >"$small"

need_en_us() {
    [ -r "$en_us" ] || { echo "SKIP: $en_us is not installed (Debian: pocketsphinx-en-us)"; exit 77; }
}

# The output equals GOLDEN, or becomes it under LOGITSCOPE_GOLDEN_UPDATE=1.
against_golden() {
    if [ "${LOGITSCOPE_GOLDEN_UPDATE:-}" = 1 ]; then
        cp "$tmp/out" "$golden"
        echo "updated $golden"
        exit 0
    fi
    cmp -s "$tmp/out" "$golden" || {
        diff -u "$golden" "$tmp/out" | head -n 40
        fail "output differs from $golden"
    }
}

case $case in
same-seed)
    # twice the same bytes; another seed, other words
    ok generate --lm "$small" --prompt a -n 60 --seed 11
    cp "$tmp/out" "$tmp/first"
    ok generate --lm "$small" --prompt a -n 60 --seed 11
    cmp -s "$tmp/first" "$tmp/out" || fail "the same seed wrote different text"
    ok generate --lm "$small" --prompt a -n 60 --seed 12
    cmp -s "$tmp/first" "$tmp/out" && fail "seeds 11 and 12 wrote the same 60 words"
    [ "$(wc -w <"$tmp/out")" -eq 61 ] || fail "not the prompt and 60 words"
    ;;
golden-small)
    # every run and machine: the words of seed 3 at T = 1.3 with top-k 3, and as JSON
    ok generate --lm "$small" --prompt a -n 40 --seed 3 -t 1.3 -k 3
    cp "$tmp/out" "$tmp/text"
    ok generate --lm "$small" --prompt a -n 4 --seed 3 -t 1.3 -k 3 --format json
    cat "$tmp/text" "$tmp/out" >"$tmp/both"
    mv "$tmp/both" "$tmp/out"
    against_golden
    ;;
golden-en-us)
    need_en_us
    ok generate --prompt "The cat sat on the" -n 40 --seed 7 -t 0.8 -p 0.9
    against_golden
    ;;
greedy-restart)
    # P(</s> | a b) is the largest after "a b"; after </s> the context is <s> again, where
    # a and then b are the likeliest: the loop of greedy decoding
    ok generate --lm "$small" --prompt "a b" -n 7 -t 0
    [ "$(cat "$tmp/out")" = "a b </s> a b </s> a b </s>" ] || fail "greedy: $(cat "$tmp/out")"
    ;;
unknown-marked)
    ok generate --lm "$small" --prompt "A zebra b" -n 0
    [ "$(cat "$tmp/out")" = "A ⟨zebra⟩ b" ] || fail "marked: $(cat "$tmp/out")"
    ok generate --lm "$small" --prompt "A zebra b" -n 0 --ascii
    [ "$(cat "$tmp/out")" = "A [zebra] b" ] || fail "ASCII: $(cat "$tmp/out")"
    # zebra is <unk> in the context: after "<unk> b" the trigram "a b </s>" is out of
    # reach, so greedy writes a (P(a | b) = 10^-0.5), not </s> (10^-0.6)
    ok generate --lm "$small" --prompt "zebra b" -n 1 -t 0
    [ "$(cat "$tmp/out")" = "⟨zebra⟩ b a" ] || fail "after <unk> b: $(cat "$tmp/out")"
    ok generate --lm "$small" --prompt "a b" -n 1 -t 0
    [ "$(cat "$tmp/out")" = "a b </s>" ] || fail "after a b: $(cat "$tmp/out")"
    ;;
empty-prompt)
    # no prompt: the start of a sentence, where P(a | <s>) = 10^-0.2 leads
    ok generate --lm "$small" -n 2 -t 0
    [ "$(cat "$tmp/out")" = "a b" ] || fail "from <s>: $(cat "$tmp/out")"
    ok generate --lm "$small" --prompt "" -n 2 -t 0 --format json
    grep -qF '"content":"a b"' "$tmp/out" || fail "json content without a leading space"
    ;;
env-model)
    LOGITSCOPE_LM=$small "$exe" generate -n 3 -t 0 >"$tmp/out" 2>"$tmp/err" ||
        fail "LOGITSCOPE_LM: exit status $?"
    [ "$(cat "$tmp/out")" = "a b </s>" ] || fail "LOGITSCOPE_LM: $(cat "$tmp/out")"
    # --lm wins over it
    LOGITSCOPE_LM=/nonexistent.arpa "$exe" generate --lm "$small" -n 1 -t 0 >"$tmp/out" \
        2>"$tmp/err" || fail "--lm does not win over LOGITSCOPE_LM"
    ;;
default-model)
    need_en_us
    ok generate --prompt "the cat" -n 3 -t 0
    [ "$(wc -w <"$tmp/out")" -eq 5 ] || fail "the Debian model by default"
    ;;
sweep-lm)
    # the next word after "a" as a vocabulary: P(b | <s> a) = 10^-0.05
    ok sweep --lm "$small" --prompt a -t 1 -n 0 --top 2
    cat >"$tmp/want" <<'EOF'
=== T=1 ===
Entropy: 1.277 bits (perplexity 2.424, kept 4/6)
token      prob
b      0.640145
c      0.285942
... 4 more (mass 0.073913)
EOF
    cmp -s "$tmp/want" "$tmp/out" || { diff -u "$tmp/want" "$tmp/out"; fail "sweep --lm"; }
    ok sweep --lm "$small" --prompt a -t 0.5,1 --format csv
    [ "$(wc -l <"$tmp/out")" -eq 13 ] || fail "csv: a header and 6 words a setting"
    # ln P(</s> | <s> a) = (bo(<s> a) + bo(a) + log10 P(</s>)) ln 10 = -1.4 ln 10
    grep -q '^T=1,1,0,1,0,hf,4,</s>,-3.2236191301916644,' "$tmp/out" || fail "csv: </s> as such"
    ;;
explorer-lm)
    ok --lm "$small" --prompt a --snapshot --size 80x24
    grep -q 'small.arpa' "$tmp/out" || fail "the explorer names the model"
    grep -q ' b  ' "$tmp/out" || fail "the explorer shows the next word"
    ;;
json-escapes)
    # a model word with an ESC and a byte that is not UTF-8: the text shows escapes, the JSON
    # stays valid (U+FFFD in the token, the real bytes in "bytes")
    printf '\\data\\\nngram 1=2\n\n\\1-grams:\n-0.1\t\033[31mred\377\n-99\t<s>\n\n\\end\\\n' \
        >"$tmp/nasty.arpa"
    ok generate --lm "$tmp/nasty.arpa" -n 1
    [ "$(cat "$tmp/out")" = '\e[31mred\xff' ] || fail "text: $(cat "$tmp/out")"
    ok generate --lm "$tmp/nasty.arpa" -n 1 --format json
    LC_ALL=C grep -q "$(printf '\033')" "$tmp/out" && fail "a raw ESC in the JSON"
    grep -qF '"token":"\u001b[31mred\ufffd","bytes":[27,91,51,49,109,114,101,100,255]' \
        "$tmp/out" || fail "the JSON token and its bytes"
    ;;
bad-arpa)
    sed 's/^-0.4	a b/-0.4x	a b/' "$small" >"$tmp/bad.arpa"
    for cmd in generate sweep; do
        run $cmd --lm "$tmp/bad.arpa"
        [ "$status" -eq 2 ] || fail "$cmd: exit status $status, want 2"
        grep -qF "logitscope: $tmp/bad.arpa:16: log10 probability \"-0.4x\"" "$tmp/err" ||
            fail "$cmd: no FILE:LINE: message"
        [ ! -s "$tmp/out" ] || fail "$cmd: output on stdout"
    done
    ;;
bad-trie)
    printf 'Trie Language Model\003\001\000\000\000' >"$tmp/bad.bin"
    run generate --lm "$tmp/bad.bin"
    [ "$status" -eq 2 ] || fail "exit status $status, want 2"
    grep -qF "logitscope: $tmp/bad.bin: offset 20: " "$tmp/err" || fail "no FILE: offset N:"
    ;;
no-file)
    run generate --lm "$tmp/none.arpa"
    [ "$status" -eq 2 ] || fail "exit status $status, want 2"
    grep -qF "logitscope: $tmp/none.arpa: cannot open" "$tmp/err" || fail "no message"
    ;;
write-error)
    [ -w /dev/full ] || { echo "SKIP: no /dev/full"; exit 77; }
    "$exe" generate --lm "$small" -n 5 >/dev/full 2>"$tmp/err"
    [ $? -eq 1 ] || fail "exit status, want 1"
    grep -qF "error writing the output" "$tmp/err" || fail "no write error reported"
    ;;
*)
    echo "generate.sh: unknown case $case"
    exit 1
    ;;
esac
exit 0
