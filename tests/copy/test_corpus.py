"""The copy corpus (corpus/copy/*.jsonl): big and broad enough, every line passes the gate's hard checks and fits
its field, each field reads like many different ads, and a malformed line fails with its file and line."""

import re
from collections import defaultdict

import pytest

from adcraft.checks.base import CopyCandidate
from adcraft.checks.gate import check_copy
from adcraft.checks.words import fragments, word_forms
from adcraft.copy.corpus import (
    ANGLES,
    KNOWN_CATEGORIES,
    LENGTHS,
    VOICES,
    CorpusError,
    length_problems,
    load_corpus,
)
from adcraft.generation.best_of_n import distinct_2
from adcraft.kernel.config import load_brand

LINES = load_corpus()


def test_the_corpus_is_big_and_broad():
    assert len(LINES) >= 3000
    assert {line.category for line in LINES} == set(KNOWN_CATEGORIES) and len(KNOWN_CATEGORIES) >= 16
    assert {(line.content_type, line.field) for line in LINES} == set(LENGTHS)
    assert {line.voice for line in LINES} == set(VOICES) and len(VOICES) >= 3
    assert {line.angle for line in LINES} == set(ANGLES)
    sparse = {line.sku for line in LINES if line.sparse}
    rich = {line.sku for line in LINES if not line.sparse}
    assert len(sparse) >= 50 and len(rich) >= 100


def test_every_line_fits_its_field():
    assert [f"{line.where}: {p}" for line in LINES for p in length_problems(line)] == []


def test_every_line_passes_the_gate_s_hard_checks():
    failures = []
    by_voice = defaultdict(list)
    for line in LINES:
        by_voice[line.voice].append(line)
    for voice, lines in by_voice.items():
        items = [CopyCandidate(line.where, line.content_type, line.field, line.text, line.facts()) for line in lines]
        for result in check_copy(items, load_brand(voice), hard_only=True):
            if result.hard and not result.passed:
                failures.append(f"{result.item_id} {result.check_name}: {result.reason}")
    assert failures == []


def test_no_line_uses_a_word_its_voice_avoids_or_speaks_as_a_person():
    avoided = {voice: word_forms(load_brand(voice).voice.avoid) for voice in VOICES}
    found = [f"{line.where}: {words}" for line in LINES if (words := fragments(avoided[line.voice], line.text))]
    found += [line.where for line in LINES if re.search(r"(?<!\w)(?:I|I'm|I've|my|me)(?!\w)", line.text)]
    assert found == []


def test_each_field_of_each_category_reads_like_many_different_lines():
    by_field = defaultdict(list)
    for line in LINES:
        by_field[(line.category, line.content_type, line.field)].append(line.text)
    low = {key: round(distinct_2(texts), 3) for key, texts in by_field.items() if distinct_2(texts) < 0.8}
    assert low == {}


def test_no_two_lines_of_a_product_and_field_open_with_the_same_three_words():
    openings = defaultdict(list)
    for line in LINES:
        three = " ".join(re.findall(r"[\w']+", line.text.lower())[:3])
        openings[(line.sku, line.content_type, line.field, three)].append(line.where)
    assert {key: where for key, where in openings.items() if len(where) > 1} == {}


GOOD = ('{"sku": "tea-901", "category": "tea", "voice": "fieldnote", "content_type": "email", "field": "subject", '
        '"angle": "sensory", "product": {"name": "Assam Tea", "category": "Black Tea", "price": 7.5, "currency": '
        '"EUR", "material": null, "colours": [], "sizes": [], "description": null}, '
        '"text": "Malty and ready for milk"}')


@pytest.mark.parametrize("bad,problem", [
    ('{"sku": "tea-901", "category": "tea"', "not valid JSON"),
    (GOOD.replace('"angle": "sensory", ', ""), "keys must be"),
    (GOOD.replace('"voice": "fieldnote"', '"voice": "shouty"'), "unknown voice 'shouty'"),
    (GOOD.replace('"field": "subject"', '"field": "subjects"'), "unknown field email.subjects"),
    (GOOD.replace('"price": 7.5', '"price": "7.50"'), "product.price must be a number"),
    (GOOD.replace('"category": "tea"', '"category": "coffee"'), "category 'coffee' is not the file's"),
])
def test_a_malformed_line_fails_with_its_file_and_line_number(tmp_path, bad, problem):
    (tmp_path / "tea.jsonl").write_text(f"{GOOD}\n\n{bad}\n")
    with pytest.raises(CorpusError) as failure:
        load_corpus(tmp_path)
    assert f"tea.jsonl:3: {problem}" in str(failure.value)


def test_one_product_keeps_one_set_of_facts(tmp_path):
    other = GOOD.replace('"text": "Malty and ready for milk"', '"text": "Strong enough for milk"').replace(
        '"price": 7.5', '"price": 8.5')
    (tmp_path / "tea.jsonl").write_text(f"{GOOD}\n{other}\n")
    with pytest.raises(CorpusError, match=r"tea.jsonl:2: tea-901 has other facts than at .*tea.jsonl:1"):
        load_corpus(tmp_path)
