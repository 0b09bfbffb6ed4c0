#!/bin/bash
# The bash completion (completions/rollcall, issue 19 item 3), driven as
# bash drives it: bash-completion loaded, COMP_WORDS and COMP_CWORD set for
# a command line, the function `complete -p rollcall` names called, and
# COMPREPLY compared with what is expected. Run by make check with ROLLCALL
# the binary (its --help gives the options).
set -u
cd "$(dirname "$0")/.." || exit 1
RC=$(cd "$(dirname "$ROLLCALL")" && pwd)/$(basename "$ROLLCALL")
# shellcheck disable=SC1091
. /usr/share/bash-completion/bash_completion || { echo "completion: no bash-completion" >&2; exit 1; }
# shellcheck source=../completions/rollcall
. completions/rollcall
fn=$(complete -p rollcall | sed -n 's/.*-F \([^ ]*\) .*/\1/p')
[ "$fn" = _rollcall ] || { echo "completion: rollcall is not completed by _rollcall: $(complete -p rollcall)" >&2; exit 1; }

# A scratch directory of files of every kind, to complete names in.
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/exports"
touch "$dir/roster.xlsx" "$dir/roster-old.XLS" "$dir/results.csv" "$dir/results.tsv" "$dir/late.csv.partial" \
    "$dir/summary.json" "$dir/rules.ini" "$dir/notes.pdf" "$dir/exports/a.csv"

fail=0
n=0
# comp EXPECTED WORD... : the completion of the command line WORD... (the
# last word is the one being completed), sorted, one line.
comp() {
    local want=$1 w
    shift
    # bash splits a word at '=' (COMP_WORDBREAKS): --only=x is --only = x
    COMP_WORDS=()
    for w in "$@"; do
        if [[ $w == --*=* ]]; then
            COMP_WORDS+=("${w%%=*}" "=" "${w#*=}")
        else
            COMP_WORDS+=("$w")
        fi
    done
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    (cd "$dir" && "$fn" "${COMP_WORDS[0]}" "${COMP_WORDS[$COMP_CWORD]}" "${COMP_WORDS[$((COMP_CWORD - 1))]}"
        printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//') >"$dir/.got"
    got=$(cat "$dir/.got")
    n=$((n + 1))
    if [ "$got" != "$want" ]; then
        echo "completion: '$*': got '$got', want '$want'" >&2
        fail=1
    fi
}

comp "check help merge" "$RC" ""
comp "merge" "$RC" "me"
comp "--help --version" "$RC" "--"
# options, from the subcommand's own --help
comp "--roster" "$RC" merge --ro
comp "--fail-on --format" "$RC" merge --f
comp "--summary-json" "$RC" merge -r roster.xlsx --summ
comp "--sheet" "$RC" check --sh
comp "--bom" "$RC" merge --bo
# state names, one after another past commas, and after --opt=
comp "exempt invalid missing negative pending positive review" "$RC" merge --only ""
comp "pending positive" "$RC" merge --fail-on p
comp "positive,review" "$RC" merge --fail-on positive,r
comp "negative,missing,exempt" "$RC" merge --only negative,missing,e
comp "review" "$RC" merge --fail-on=re
comp "" "$RC" merge --only nosuch
# values
comp "csv json tsv xlsx" "$RC" merge --format ""
comp "en" "$RC" merge --lang e
comp "building" "$RC" merge --split-by ""
# inputs by extension (upper case too), never a *.partial nor a PDF; folders to go into
comp "exports results.csv results.tsv roster-old.XLS roster.xlsx" "$RC" merge -r ""
comp "results.csv results.tsv" "$RC" merge -r roster.xlsx res
comp "roster-old.XLS roster.xlsx" "$RC" check ro
comp "exports/a.csv" "$RC" merge -r roster.xlsx exports/
# outputs by what they write
comp "exports summary.json" "$RC" merge -r roster.xlsx --summary-json ""
comp "rules.ini" "$RC" merge --config r
comp "exports" "$RC" merge -O ""
comp "results.csv results.tsv" "$RC" merge -o res
comp "exports results.csv results.tsv roster.xlsx summary.json" "$RC" merge -o ""
comp "" "$RC" merge --day ""
comp "" "$RC" nosuch ""

[ $fail = 0 ] && echo "completion: $n command lines complete as expected"
exit $fail
