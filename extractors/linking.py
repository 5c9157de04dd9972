"""Tie each figure to what it counts (subject) and what happened to it (measure).

The linker reads four span groups that earlier components set on a sentence
Doc — `numbers` (figure candidates), `subjects`, `measures` (trigger words)
and `cues` (which organisation a clause speaks of) — and writes the
`statistics` group, one span per figure it could tie to a subject, each with
a `Link` in `span._.link`.

Vietnamese puts the counted noun right after the figure ("73 tổ chức Đảng",
"trên 15 nghìn CNVCLĐ"); the verb before it says what happened ("kết nạp
103/80 đảng viên"). The rules below handle the other frames news copy uses;
each rule's name goes into `Link.rule` so a record says why it was made.
"""

import bisect

import regex
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.lexicon import table
from extractors.numbers import alternation
from schemas import Measure, NumberMention, Subject, Unit

WORDS = "words"

NUMBERS, SUBJECTS, MEASURES, CUES, STATISTICS = "numbers", "subjects", "measures", "org_cues", "statistics"
CLAUSE_BREAKS = {";", ":"}
WEAK_GAP = {"mới", "ưu", "tú", "trẻ"}
TIME_BEFORE = frozenset({"sau", "trước", "khi"})
STOCK = {Measure.count, Measure.share}
INHERITABLE = {Measure.count, Measure.admitted, Measure.established, Measure.trained, Measure.target, Measure.other}
ATTENDANCE = frozenset({"với", "cho"})
FLOWS = {Measure.admitted.value, Measure.established.value, Measure.trained.value}
COUNT_HEADS = frozenset({"số"})
RATIO_HEADS = frozenset({"tỷ lệ", "tỉ lệ"})
PERSONS = {Subject.party_candidate, Subject.union_member, Subject.youth_member, Subject.worker}
NUMERALS = table("numerals")  # the list and breakdown words below are kept with the numerals' context words
PEOPLE = PERSONS | {Subject.party_member, Subject.women_member, Subject.veterans_member}
BREAKDOWN_AFTER = regex.compile(rf"(?<!\w)(?:{alternation(NUMERALS['breakdown_after'])})(?!\w)", regex.I)
BREAKDOWN_LEAD = regex.compile(rf"(?:{alternation(NUMERALS['breakdown_after'])})(?!\w)[\s,]*", regex.I)
ASPECT_HEADS = frozenset(NUMERALS["aspect_heads"])
ATTENDING = frozenset(NUMERALS["attendance_leads"])
ASPECT_REACH = 6
ASPECT_ENDS = frozenset({",", "có"})
ASPECT_WORDS = frozenset({Measure.count.value, "@inherit", "@past"})
BREAKDOWN_BEFORE = regex.compile(rf"(?<!\w)(?:{alternation(NUMERALS['breakdown_before'])})\s*$", regex.I)
WHOLE_RULE = "subject-of-the-whole"
PLACES_REACH = 10
PASSIVE_AGENT_REACH = 14
DONE = "được"
LACKING = frozenset(NUMERALS["lacking"])
CHANGE_RULE = "subject-before-change"
CHANGED_RULE = "subject-of-the-count-changed"
CHANGE_TO = regex.compile(rf"(?:{alternation(NUMERALS['change_to'])})(?!\w)")
WHOLE_AFTER = regex.compile(rf"\s*(?:{alternation(NUMERALS['whole_after'])})\s+", regex.I)
COMPARED_WITH_PAST = regex.compile(rf"\)?\s*(?:{alternation(NUMERALS['compared_with_past'])})(?!\w)", regex.I)
CHANGE_BY = regex.compile(rf"(?<!\w)(?:{alternation(NUMERALS['change_by'])})\s*$", regex.I)
PEOPLE_NOUN = regex.compile(rf"(?:{alternation(NUMERALS['people_nouns'])})(?!\w)")
RENAMING = frozenset(NUMERALS["renaming"])
ITEM_SEPARATORS = {";", ",", ":"}
ITEM_ENDS = ITEM_SEPARATORS | {".", "…", "..."}
ITEM_JOINERS = frozenset(NUMERALS["list_joiners"])
LIST_OPENERS = frozenset(NUMERALS["list_openers"])
ITEM_NAME_TOKENS = 10
RESULTS = {Measure.achieved.value, Measure.exceeded.value}
AGAINST_PLAN = RESULTS | {Measure.target.value}

#: "other" is an association we do not track (Hội Nông dân, Hội Chữ thập đỏ …): its "hội viên", "chi hội" are `other`.
ORG_BY_CUE = {"party": Subject.party_org, "union": Subject.union_org, "youth": Subject.youth_org,
              "women": Subject.women_org, "veterans": Subject.veterans_org, "other": Subject.other}
MEMBER_BY_CUE = {"party": Subject.party_member, "union": Subject.union_member, "youth": Subject.youth_member,
                 "women": Subject.women_member, "veterans": Subject.veterans_member, "other": Subject.other}
CUES_FOR = {"@org": frozenset(ORG_BY_CUE), "@member": frozenset({"union", "youth"}),
            "@any_member": frozenset({"party", "union", "youth"}),
            "@assoc_member": frozenset({"women", "veterans", "youth", "other"})}

for _name in ("number", "link"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
for _name in ("org_context", "article_orgs", "carried"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@dataclass(frozen=True, slots=True)
class Link:
    number: NumberMention
    subject: Subject
    measure: Measure
    rule: str


Previous = list[tuple[Span, Link]]
"""The figures already linked in the sentence, left to right, with their links."""
Found = tuple[Span | None, Subject | None, str]
"""A subject: the span that names it (None when taken from another figure), its code, the rule."""


@dataclass(slots=True)
class DocIndex:
    """Lookups the rules make per figure, built once per Doc.

    Each `doc.spans[...]` access makes new Span objects, each `token.lower_`
    a new string and each `doc.text` a new join, so the linker reads span
    groups and texts from here. It is kept in `doc.user_data`, which is
    cheaper to reach than a `doc._` extension (the rules ask for it per figure).
    """

    text: str
    lower: list[str]
    breaks: list[int]
    numbers: list[Span]
    number_starts: frozenset[int]
    subjects_at: dict[int, list[Span]]
    measures: list[Span]
    measures_at: dict[int, list[Span]]
    cues: list[Span]
    long_word_starts: frozenset[int]
    in_phrases: frozenset[int]
    in_subjects: frozenset[int]

    @classmethod
    def build(cls, doc: Doc) -> "DocIndex":
        lower = [t.lower_ for t in doc]
        numbers = list(doc.spans.get(NUMBERS, []))
        subjects_at: dict[int, list[Span]] = {}
        for span in doc.spans.get(SUBJECTS, []):
            subjects_at.setdefault(span.start, []).append(span)
        for spans in subjects_at.values():
            spans.sort(key=len, reverse=True)
        measures = list(doc.spans.get(MEASURES, []))
        measures_at: dict[int, list[Span]] = {}
        for span in measures:
            measures_at.setdefault(span.start, []).append(span)
        return cls(text=doc.text, lower=lower, breaks=[i for i, text in enumerate(lower) if text in CLAUSE_BREAKS], numbers=numbers,
                   number_starts=frozenset(s.start for s in numbers), subjects_at=subjects_at, measures=measures,
                   measures_at=measures_at, cues=list(doc.spans.get(CUES, [])),
                   long_word_starts=frozenset(w.start for w in doc.spans.get(WORDS, []) if len(w) > 1),
                   in_phrases=frozenset(i for t in measures if len(t) > 1 for i in range(t.start, t.end)),
                   in_subjects=frozenset(i for spans in subjects_at.values() for s in spans
                                         for i in range(s.start + 1, s.end)))


_INDEX = "thongke.link_index"


def _ix(doc: Doc) -> DocIndex:
    index = doc.user_data.get(_INDEX)
    if index is None:
        index = doc.user_data[_INDEX] = DocIndex.build(doc)
    return index


@Language.factory("thongke_linker")
def make_linker(nlp: Language, name: str) -> "StatisticLinker":
    return StatisticLinker()


class StatisticLinker:
    """`__call__` links every figure of the Doc, left to right (later figures can inherit from earlier ones)."""

    def __call__(self, doc: Doc) -> Doc:
        links: list[tuple[Span, Link]] = []
        index = doc.user_data[_INDEX] = DocIndex.build(doc)
        for figure in sorted(index.numbers, key=lambda s: s.start):
            link = _link(doc, figure, links)
            if link is not None:
                figure._.link = link
                links.append((figure, link))
        doc.spans[STATISTICS] = [span for span, _ in links]
        del doc.user_data[_INDEX]
        return doc


def _link(doc: Doc, figure: Span, earlier: list[tuple[Span, Link]]) -> Link | None:
    number: NumberMention = figure._.number
    clause_start, clause_end = _clause(doc, figure)
    previous = earlier
    item_start = _item_start(doc, figure, number)
    listed = _list_item(doc, number, item_start, clause_start, previous) if item_start is not None else None
    if listed is not None and number.unit == Unit.percent:
        return listed
    found = _subject(doc, figure, number, clause_start, clause_end, previous)
    if found is None:
        return listed
    subject_span, subject, subject_rule = found
    whole = _whole_broken_down(doc, figure, previous) if subject_rule == WHOLE_RULE else None
    if subject_rule == CHANGE_RULE:
        measure, measure_rule = Measure.count, "measure-count-before-change"
    elif subject_rule == CHANGED_RULE:
        measure, measure_rule = previous[-1][1].measure, "measure-of-the-count-changed"
    elif whole is not None:
        measure, measure_rule = whole.measure, "measure-inherited-from-the-whole"
    else:
        measure, measure_rule = _measure(doc, figure, number, subject, subject_span, clause_start, clause_end,
                                         previous)
    if number.unit == Unit.percent and measure == Measure.count:
        measure, measure_rule = Measure.share, f"{measure_rule}-as-share"
    subject, person_rule = _settle_person(doc, subject, subject_span, measure, figure, clause_start, clause_end,
                                          previous)
    if subject is None:
        return None
    return Link(number, subject, measure, "+".join(r for r in (subject_rule, measure_rule, person_rule) if r))


def _item_start(doc: Doc, figure: Span, number: NumberMention) -> int | None:
    """Where the list item that `figure` closes begins, when the item is only a name and the figure:
    "…; Hội An 110; Điện Bàn 150", "gồm: Công an tỉnh (58,1%); huyện Tuy Phong (20,8%)".

    The item opens after ";", ",", ":", a joiner ("và") or an opener ("gồm", "bao gồm") and holds no other
    figure and no verb; a count closes it with ";", ",", ":", "." or a joiner, a percentage is written
    in brackets after it.
    """
    index = _ix(doc)
    start, end = figure.start, figure.end
    if number.unit == Unit.percent:
        if start == 0 or end >= len(doc) or doc[start - 1].text != "(" or doc[end].text != ")":
            return None
        start -= 1
    elif end < len(doc) and not (doc[end].text in ITEM_ENDS or index.lower[end] in ITEM_JOINERS):
        return None
    if number.target is not None or number.high is not None:
        return None
    i = start - 1
    while i >= 0 and doc[i].text not in ITEM_SEPARATORS and index.lower[i] not in ITEM_JOINERS and not _opens_list(doc, i):
        if doc[i].is_punct or i in index.number_starts or start - i > ITEM_NAME_TOKENS:
            return None
        i -= 1
    if i < 0 or i + 1 == start or any(i < t.start and t.end <= start for t in index.measures):
        return None
    return i + 1


def _opens_list(doc: Doc, i: int) -> bool:
    """Token `i` ends a word that opens a list without a colon ("gồm", "gồm có")."""
    return _ix(doc).lower[i] in LIST_OPENERS or (i > 0 and doc[i - 1:i + 1].text.lower() in LIST_OPENERS)


def _list_item(doc: Doc, number: NumberMention, item_start: int, clause_start: int,
               previous: Previous) -> Link | None:
    """A list names its subject and measure once; the items after it take them ("kết nạp 150 đảng viên;
    Hội An 110"). A first item takes them from the list's lead-in before ":" or an opener ("gồm")."""
    parents = [link for span, link in previous if span.end <= item_start and link.number.unit == number.unit]
    if parents:
        return Link(number, parents[-1].subject, parents[-1].measure, "subject-of-list-item+measure-inherited-by-list-item")
    opened = item_start > clause_start and _opens_list(doc, item_start - 1)
    lead = (clause_start, item_start - 1) if opened else _lead_in(doc, clause_start)
    return _lead_in_link(doc, number, *lead) if lead is not None else None


def _lead_in_link(doc: Doc, number: NumberMention, start: int, end: int) -> Link | None:
    """What a list's lead-in says its items count: "Số đảng viên kết nạp mới của các huyện: A 45, B 38",
    "Chỉ tiêu kết nạp đảng viên giao các huyện: A 60; B 50", "Các đảng bộ kết nạp đảng vượt chỉ tiêu gồm:
    A (158%); …". Percentages are achieved against the plan when the lead-in names one, else shares;
    counts are the lead-in's plan, else its flow, else a stock."""
    triggers = [t for t in _ix(doc).measures if start <= t.start and t.end <= end]
    flows = [t for t in triggers if t.label_ in FLOWS]
    subject = _lead_in_subject(doc, start, end, flows)
    if subject is None:
        return None
    if number.unit == Unit.percent:
        measure = Measure.achieved if any(t.label_ in AGAINST_PLAN for t in triggers) else Measure.share
    elif any(t.label_ == Measure.target.value and not _is_reference(doc, t, start) for t in triggers):
        measure = Measure.target
    else:
        measure = Measure(flows[0].label_) if flows else Measure.count
    return Link(number, subject, measure, f"subject-of-lead-in+measure-{measure.value}-of-listed-units")


def _lead_in_subject(doc: Doc, start: int, end: int, flows: list[Span]) -> Subject | None:
    """The subject a lead-in counts ("Số đảng viên …") or its flow verb's object ("kết nạp đảng viên",
    "kết nạp đảng": party members)."""
    named = _counted_by_so(doc, start, end)
    if named is not None:
        return _resolve(doc, named, start, end)
    index = _ix(doc)
    for flow in flows:
        spans = [s for s in _subjects_at(doc, flow.end) if not s.label_.startswith("@")]
        if spans:
            return Subject(spans[0].label_)
        if flow.label_ == Measure.admitted.value and (flow.text.lower().endswith("đảng")
                                                      or index.lower[flow.end] == "đảng"):
            return Subject.party_member
    return None


def _clause(doc: Doc, figure: Span) -> tuple[int, int]:
    breaks = _ix(doc).breaks
    before = bisect.bisect_left(breaks, figure.start)
    after = bisect.bisect_left(breaks, figure.end)
    return (breaks[before - 1] + 1 if before else 0), (breaks[after] if after < len(breaks) else len(doc))


def _subjects_at(doc: Doc, index: int) -> list[Span]:
    """Subject spans starting at token `index`, longest first."""
    return _ix(doc).subjects_at.get(index, [])


def _subject(doc: Doc, figure: Span, number: NumberMention, clause_start: int, clause_end: int,
             previous: Previous) -> Found | None:
    """The subject span, code and rule name; None when the figure counts nothing we track."""
    after = figure.end
    lower = _ix(doc).lower
    while after < clause_end and lower[after] in WEAK_GAP:
        after += 1
    right = _subjects_at(doc, after) if after < clause_end else []
    if right and right[0].label_ == "@comrade":
        specific = _subjects_at(doc, right[0].end)
        right = specific or right
    if number.unit == Unit.percent:
        return _percent_subject(doc, figure, right, clause_start, clause_end, previous)
    if right:
        span = right[0]
        if span.label_ in ("@unit", "@person"):
            named = _counted_by_so(doc, clause_start, figure.start)
            if named is not None:
                return named, _resolve(doc, named, clause_start, clause_end), "subject-named-by-so"
            named = _named_before_copula(doc, figure, clause_start)
            if named is not None:
                return named, _resolve(doc, named, clause_start, clause_end), "subject-named-before-copula"
        whole = _whole_broken_down(doc, figure, previous) if span.label_ == "@person" else None
        if whole is not None:
            return span, whole.subject, WHOLE_RULE
        return span, _resolve(doc, span, clause_start, clause_end), "subject-after"
    if not right:
        renamed = _subject_past_noun(doc, after, clause_end)
        if renamed is not None:
            return renamed, _resolve(doc, renamed, clause_start, clause_end), "subject-past-noun"
        had = _places_having_org(doc, figure, clause_end)
        if had is not None:
            return had
    changed = _changed_from(doc, figure, previous)
    if changed is not None:
        return None, changed.subject, CHANGED_RULE
    change = after < clause_end and CHANGE_TO.match(doc[after:clause_end].text.lower()) is not None
    if number.target is None and (after >= clause_end or doc[after].is_punct or change):
        named = _counted_by_so(doc, clause_start, figure.start)
        if named is not None:
            return named, _resolve(doc, named, clause_start, clause_end), CHANGE_RULE if change else "subject-before"
    if number.unit == Unit.count and not right:
        whole = _whole_broken_down(doc, figure, previous)
        if whole is not None:
            return None, whole.subject, WHOLE_RULE
    return None


def _subject_past_noun(doc: Doc, start: int, clause_end: int) -> Span | None:
    """"hơn 60 học viên là đối tượng kết nạp Đảng", "12 nghìn cán bộ, đoàn viên công đoàn": people named by a
    plain noun first, then by "là" or "," and the subject they are."""
    index = _ix(doc)
    rest = doc[start:clause_end].text.lower() if start < clause_end else ""
    noun = PEOPLE_NOUN.match(rest)
    if noun is None:
        return None
    i = start
    while i < clause_end and doc[i].idx - doc[start].idx < noun.end():
        i += 1
    if i >= clause_end or index.lower[i] not in RENAMING or i + 1 >= clause_end:
        return None
    spans = [s for s in _subjects_at(doc, i + 1) if s.label_ not in ("@person", "@unit", Subject.indicator.value)]
    return spans[0] if spans else None


def _changed_from(doc: Doc, figure: Span, previous: Previous) -> Link | None:
    """"số tổ chức cơ sở đảng giảm từ 412 xuống còn 286": the figure a count changed to is of the same kind."""
    if not previous:
        return None
    span, link = previous[-1]
    between = doc[span.end:figure.start].text.lower() if span.end < figure.start else ""
    return link if between and CHANGE_TO.fullmatch(between.strip()) else None


def _whole_broken_down(doc: Doc, figure: Span, previous: Previous) -> Link | None:
    """"kết nạp 550 đảng viên, trong đó có 5 lãnh đạo doanh nghiệp", "Trong tổng số 41 đảng viên có 37 người
    dân tộc thiểu số": a part of a count of people, named by what sets it apart, is of the whole's subject;
    in a sentence opening "Trong đó" the whole is the flow of the sentence before."""
    if _verb_after(doc, figure.end, _clause(doc, figure)[1]) is not None:
        return None  # "trong đó 19 người đã được kết nạp": the part says what happened to it
    text = _ix(doc).text
    for span, link in reversed(previous):
        if link.number.unit != Unit.count or link.subject not in PEOPLE:
            continue
        between = text[doc[span.end].idx:figure.start_char] if span.end < len(doc) else ""
        before = text[doc[max(0, span.start - 3)].idx:span.start_char]
        if BREAKDOWN_AFTER.search(between) or BREAKDOWN_BEFORE.search(before):
            return link
        return link if link.rule.startswith(WHOLE_RULE) else None
    carried = _carried_whole(doc)
    return carried if carried is not None and carried.subject in PEOPLE else None


def _named_before_copula(doc: Doc, figure: Span, clause_start: int) -> Span | None:
    """"tổ chức đảng trong doanh nghiệp là 26 cơ sở": "cơ sở", "đơn vị" count the subject the copula's
    clause opens with (after any earlier figure), not enterprises."""
    index = _ix(doc)
    if figure.start == 0 or index.lower[figure.start - 1] != "là":
        return None
    earlier = [s.end for s in index.numbers if clause_start <= s.start < figure.start]
    start = earlier[-1] + 1 if earlier else clause_start  # an earlier figure's own noun is not named here
    for i in range(start, figure.start - 1):
        spans = [s for s in _subjects_at(doc, i) if not s.label_.startswith("@") or s.label_ == "@org"]
        if spans:
            return spans[0]
    return None


def _percent_subject(doc: Doc, figure: Span, right: list[Span], clause_start: int, clause_end: int,
                     previous: Previous) -> Found | None:
    """A percentage takes the subject of what it measures; with none in sight it is dropped, not guessed."""
    if right and right[0].label_ == Subject.indicator.value:
        measured = _measured_by_indicator(doc, right[0], clause_end)
        if measured is not None:
            return measured, _resolve(doc, measured, clause_start, clause_end), "subject-of-indicator"
    if right and right[0].label_ != Subject.indicator.value and doc[figure.end - 1].text == "%":
        return right[0], _resolve(doc, right[0], clause_start, clause_end), "subject-after"
    whole = None if right or _has_share_verb(doc, clause_start, figure.start) or (
        previous and _share_of_a_whole_after_result(doc, figure)) else _share_of(doc, figure.end, clause_end)
    if whole is not None:
        return whole, _resolve(doc, whole, clause_start, clause_end), "subject-share-of"
    ratio = _counted_by_so(doc, clause_start, figure.start, heads=RATIO_HEADS)
    if ratio is not None:
        return ratio, _resolve(doc, ratio, clause_start, clause_end), "subject-named-by-ratio"
    if not right:
        having = _having_org(doc, figure.end, clause_end)
        if having is not None:
            return having, _resolve(doc, having, clause_start, clause_end), "subject-had"
    if _has_share_verb(doc, clause_start, figure.start) or (
            not previous and CHANGE_BY.search(_ix(doc).text, max(0, figure.start_char - 16), figure.start_char)):
        named = _counted_by_so(doc, clause_start, figure.start)
        if named is not None:
            return named, _resolve(doc, named, clause_start, clause_end), "subject-named-by-so"
    if previous and not _aside_of_untracked(doc, figure, previous):
        done = _flow_object(doc, previous[-1][0].end, figure.start)
        if done is not None:
            return done, _resolve(doc, done, clause_start, clause_end), "subject-of-flow-before"
        return None, previous[-1][1].subject, "subject-of-previous-figure"
    reached = None if previous else _subject_reaching(doc, figure, clause_start)
    if reached is not None:
        return reached, _resolve(doc, reached, clause_start, clause_end), "subject-reaching"
    opening = _clause_subject(doc, clause_start, figure.start)
    if opening is not None and _has_share_verb(doc, opening.end, figure.start):
        return opening, _resolve(doc, opening, clause_start, clause_end), "subject-of-clause"
    if right and right[0].label_ == Subject.indicator.value:
        return right[0], Subject.indicator, "subject-after"
    return None


def _subject_reaching(doc: Doc, figure: Span, clause_start: int) -> Span | None:
    """"kết nạp đảng viên đạt từ 3% trở lên": the subject right before the verb that reaches the percentage."""
    index = _ix(doc)
    verbs = [t for t in index.measures if t.end == figure.start and t.start > clause_start
             and t.label_ in RESULTS]
    if not verbs:
        return None
    end = min(v.start for v in verbs)
    while end > clause_start and index.lower[end - 1] in WEAK_GAP:
        end -= 1
    spans = [s for i in range(max(clause_start, end - 4), end) for s in _subjects_at(doc, i)
             if s.end == end and not s.label_.startswith("@") and s.label_ != Subject.indicator.value]
    return max(spans, key=len) if spans else None


def _aside_of_untracked(doc: Doc, figure: Span, previous: Previous) -> bool:
    """"369 thỏa ước loại A (chiếm 14,1%)": a bracketed percentage right after a figure that counts nothing
    we track is that figure's share, not the one of the figure linked before it."""
    index = _ix(doc)
    before = [span for span in index.numbers if span.end <= figure.start]
    nearest = max(before, key=lambda span: span.start) if before else None
    if nearest is None or nearest is previous[-1][0]:
        return False
    aside = "(" in index.lower[nearest.end:figure.start]
    return aside and not any(doc[i].is_punct and doc[i].text != "(" for i in range(nearest.end, figure.start))


def _share_of(doc: Doc, start: int, clause_end: int) -> Span | None:
    """"Một nửa số đảng viên mới", "30% tổng số đoàn viên": a share written before the whole it is of
    ("87 đảng viên, chiếm 1,2% số lao động" is a share of the part named before the verb)."""
    index = _ix(doc)
    for head in range(start, min(start + 2, clause_end)):
        if index.lower[head] not in COUNT_HEADS:
            continue
        spans = [s for s in _subjects_at(doc, head + 1) if not s.label_.startswith("@") or s.label_ == "@member"]
        return spans[0] if spans else None
    return None


def _places_having_org(doc: Doc, figure: Span, clause_end: int) -> Found | None:
    """"925/962 ấp, khu phố trên địa bàn có cấp ủy": places counted by whether they have an organisation
    (named as a subject or as an organisation's body) count that organisation; places that lack one
    ("chưa có") are counted as `other`."""
    index = _ix(doc)
    has = next((i for i in range(figure.end, min(clause_end - 1, figure.end + PLACES_REACH))
                if index.lower[i] == "có"), None)
    if has is None or any(s.start in range(figure.end, has) for s in index.numbers):
        return None
    if any(doc[i].is_punct and doc[i].text != "," for i in range(figure.end, has)):
        return None
    if index.lower[has - 1] in LACKING:
        return None, Subject.other, "subject-places-lacking"  # "14 thôn chưa có đảng viên"
    having = _having_org(doc, figure.end, clause_end, reach=PLACES_REACH)
    if having is not None:
        return having, _resolve(doc, having, 0, len(doc)), "subject-had"
    cue = next((c for c in index.cues if c.start == has + 1 and c.label_ in ORG_BY_CUE), None)
    return (None, ORG_BY_CUE[cue.label_], "subject-had") if cue is not None else None


def _flow_object(doc: Doc, start: int, end: int) -> Span | None:
    """"4 đảng bộ kết nạp ĐV mới đạt trên 50% chỉ tiêu": a flow's own object between the last figure and the
    percentage, that figure's noun aside, is what the percentage measures."""
    index = _ix(doc)
    for i in range(end - 1, start + 3, -1):
        spans = [s for s in _subjects_at(doc, i) if s.label_ not in ("@unit", "@person", "@org")]
        if spans and any(t.end == i and t.label_ in FLOWS for t in index.measures):
            return spans[0]
    return None


def _having_org(doc: Doc, start: int, clause_end: int, reach: int = 6) -> Span | None:
    """"100% thôn, bản đều có chi bộ": places counted by whether they have an organisation; the share is of it."""
    index = _ix(doc)
    for i in range(start, min(clause_end - 1, start + reach)):
        if i in index.number_starts:
            return None
        if index.lower[i] == "có":
            spans = [s for s in _subjects_at(doc, i + 1) if s.label_ == "@org" or s.label_.endswith("_org")]
            return spans[0] if spans else None
    return None


def _measured_by_indicator(doc: Doc, indicator: Span, clause_end: int) -> Span | None:
    """"đạt 100% chỉ tiêu phát triển đảng viên": the indicator's own verb and subject follow it."""
    verbs = [t for t in _ix(doc).measures_at.get(indicator.end, []) if t.label_ in FLOWS]
    if not verbs:
        return None
    spans = _subjects_at(doc, max(v.end for v in verbs)) if max(v.end for v in verbs) < clause_end else []
    return spans[0] if spans and not spans[0].label_.startswith("@") else None


def _clause_subject(doc: Doc, clause_start: int, before: int) -> Span | None:
    """The subject a clause opens with ("Đảng viên là người dân tộc thiểu số chiếm 18%"), also after a
    breakdown word ("Trong đó, đảng viên nữ chiếm 40%")."""
    lead = BREAKDOWN_LEAD.match(_ix(doc).text, doc[clause_start].idx) if clause_start < before else None
    while lead and clause_start < before and doc[clause_start].idx < lead.end():
        clause_start += 1
    for i in range(clause_start, min(before, clause_start + 2)):
        spans = [s for s in _subjects_at(doc, i) if not s.label_.startswith("@")]
        if spans:
            return spans[0]
    return None


def _has_share_verb(doc: Doc, start: int, end: int) -> bool:
    return any(t.label_ == Measure.share.value and start <= t.start and t.end <= end for t in _ix(doc).measures)


def _counted_by_so(doc: Doc, clause_start: int, before: int, heads: frozenset[str] = COUNT_HEADS) -> Span | None:
    """The noun of a "số <subject> … <figure>" frame ("Số Chi, Đảng bộ được thành lập 32").

    The frame does not reach over another figure: "số lượng đảng viên tăng, có
    50 đảng viên, … dưới 30" does not make the last number a count.
    """
    index = _ix(doc)
    for i in range(before - 1, clause_start - 1, -1):
        if i in index.number_starts:
            return None
        head = 1 if index.lower[i] in heads else 2 if doc[i:i + 2].text.lower() in heads else 0
        if head:
            for j in range(i + head, min(before, i + head + 3)):
                spans = [s for s in _subjects_at(doc, j) if s.label_ not in ("@unit", "@person", "@comrade")]
                if spans:
                    return spans[0]
    return None


def _resolve(doc: Doc, span: Span, clause_start: int, clause_end: int) -> Subject | None:
    """A lexicon label to a subject code; `@`-labels are settled by the nearest organisation cue."""
    label = span.label_
    if not label.startswith("@"):
        return Subject(label)
    if label == "@unit":
        return Subject.enterprise
    if label == "@comrade":
        return Subject.party_member
    if label == "@person":
        return None
    allowed = CUES_FOR[label]
    context = doc._.org_context if doc._.org_context in allowed else next(
        (org for org in doc._.article_orgs or () if org in allowed), None)
    cue = (_nearest_cue(doc, span, clause_start, clause_end, allowed)
           or _nearest_cue(doc, span, 0, len(doc), allowed) or context)
    if label == "@org":
        return ORG_BY_CUE.get(cue) if cue else None
    if label in ("@member", "@any_member"):
        return MEMBER_BY_CUE[cue or "union"]
    return MEMBER_BY_CUE[cue] if cue else Subject.other


def _nearest_cue(doc: Doc, span: Span, clause_start: int, clause_end: int, allowed: frozenset[str]) -> str | None:
    """The organisation (among `allowed`) the clause speaks of nearest to `span`: its own words first, then either side."""
    best: tuple[int, str] | None = None
    for cue in _ix(doc).cues:
        if cue.start < clause_start or cue.end > clause_end or cue.label_ not in allowed:
            continue
        if cue.start >= span.start and cue.end <= span.end + 1:
            distance = 0
        elif cue.end <= span.start:
            distance = span.start - cue.end + 1
        else:
            distance = cue.start - span.end + 1
        if best is None or distance < best[0]:
            best = (distance, cue.label_)
    return best[1] if best else None


def _measure(doc: Doc, figure: Span, number: NumberMention, subject: Subject | None, subject_span: Span | None,
             clause_start: int, clause_end: int, previous: Previous) -> tuple[Measure, str]:
    """What happened to the figure, and the rule that says so. The rules are asked in this order, the first
    that answers decides: frames (`_framed_measure`), a plan (`_in_target_frame`), "tỷ lệ" (`_ratio_frame`),
    the verb after a counted subject (`_verb_after`), a list after a lead-in (`_listed_flow`), the nearest
    free verb before the figure (`_read_trigger`, with a breakdown's "có"/"là" stepped over), a part of a
    breakdown with no verb (`_verbless_part`), then the defaults."""
    framed = _framed_measure(doc, figure, number, subject, clause_start, previous)
    if framed is not None:
        return framed
    triggers = _free_triggers(doc, figure, clause_start, previous)
    if _in_target_frame(doc, figure, triggers, clause_start, previous):
        return Measure.target, "measure-target-frame"
    ratio = _ratio_frame(doc, figure, clause_start) if number.unit == Unit.percent else None
    if ratio is not None:
        return ratio
    if subject_span is not None and number.unit == Unit.count:
        after = _verb_after(doc, subject_span.end, clause_end, units=subject not in PEOPLE)
        if after is not None:
            return after, "measure-verb-after"
    parents = _parents(doc, previous)
    listed = _listed_flow(doc, clause_start, triggers, subject, parents)
    if listed is not None:
        return listed, "measure-list-of-flow"
    if _attendance_list(doc, clause_start, triggers):
        return Measure.other, "measure-attendance-list"
    aspect = _aspect_part(doc, number, subject, triggers)
    if aspect is not None:
        return aspect, "measure-of-the-aspect-breakdown"
    breakdown = _breakdown(triggers, subject, parents)
    counted_by_so = "số" in _ix(doc).lower[clause_start:figure.start]
    for trigger in sorted(triggers, key=lambda t: (t.end, len(t)), reverse=True):
        label = trigger.label_
        if label == "@inherit":
            if number.unit == Unit.percent and parents:
                return Measure.share, "measure-part-of-whole"
            if parents and not _own_verb_between(triggers, previous[-1][0].end if previous else 0, trigger.start):
                return parents[-1][1].measure, "measure-inherited"
            continue
        if label.startswith("@") or (trigger.text.lower() == "là" and (
                counted_by_so or _verbless_part(doc, figure, subject, parents))):
            continue  # "là" describes what is counted: "số đảng viên là …", "…; đảng viên là đoàn viên 241 đồng chí"
        if label == Measure.target.value and _is_reference(doc, trigger, clause_start):
            continue
        if label == Measure.count.value and breakdown is not None and trigger.start >= breakdown.start:
            continue
        return _read_trigger(Measure(label), trigger, number, triggers, previous)
    if _verbless_part(doc, figure, subject, parents):
        return parents[-1][1].measure, "measure-inherited"
    if number.target is not None:
        return Measure.achieved, "measure-ratio"
    if subject == Subject.class_:
        return Measure.trained, "measure-class-held"
    if number.unit == Unit.percent:
        return Measure.share, "measure-percent-default"
    return Measure.count, "measure-default-count"


def carried_flow(doc: Doc) -> Link | None:
    """The last flow (or award, discipline … `other`) figure of a linked sentence: what a next sentence
    opening with "Trong đó," or an aspect ("Về trình độ, …") breaks down."""
    flows = [span._.link for span in doc.spans.get(STATISTICS, [])
             if span._.link.number.unit == Unit.count and span._.link.measure.value in FLOWS | {Measure.other.value}]
    return flows[-1] if flows else None


def _attendance_list(doc: Doc, clause_start: int, triggers: list[Span]) -> bool:
    """An item of the list after "Tham dự … có:" ("…; và trên 300 đoàn viên, thanh niên") with no verb of its
    own: people who attended."""
    lead = _lead_in(doc, clause_start)
    if lead is None or any(not t.label_.startswith("@") and t.label_ != Measure.count.value for t in triggers):
        return False
    return any(t.text.lower() in ATTENDING and lead[0] <= t.start and t.end <= lead[1] for t in _ix(doc).measures)


def _aspect_part(doc: Doc, number: NumberMention, subject: Subject | None, triggers: list[Span]) -> Measure | None:
    """A count in a sentence that opens with an aspect heading ("Về trình độ, có 12 đảng viên …", "Về
    giới tính có 5 …") after a
    sentence with a flow of the same kind: a part of that flow, when only "có"/"là"/"đã" stand before it."""
    carried: Link | None = doc._.carried
    if carried is None or number.unit != Unit.count or not _same_kind(subject, carried.subject):
        return None
    lower = _ix(doc).lower
    if not lower or lower[0] not in ASPECT_HEADS:
        return None
    heading = next((i for i in range(1, min(ASPECT_REACH, len(lower))) if lower[i] in ASPECT_ENDS), None)
    if heading is None or any(doc[i].like_num for i in range(1, heading)):
        return None
    if any(t.label_ not in ASPECT_WORDS for t in triggers):
        return None
    return carried.measure


def _parents(doc: Doc, previous: Previous) -> list[tuple[Span, Link]]:
    """The figures a later one can take its measure from: counts with a measure a part can share, and, for a
    sentence that opens with "Trong đó", the flow of the sentence before (at an empty span at its start)."""
    parents = [(s, l) for s, l in previous if l.number.unit == Unit.count and l.measure in INHERITABLE]
    carried = _carried_whole(doc)
    if carried is not None:
        parents.insert(0, (doc[0:0], carried))
    return parents


def _carried_whole(doc: Doc) -> Link | None:
    """The flow of the sentence before, when this sentence opens with "Trong đó" and so breaks it down."""
    carried: Link | None = doc._.carried
    if carried is not None and any(t.label_ == "@inherit" and _opens(doc, t) for t in _ix(doc).measures):
        return carried
    return None


def _opens(doc: Doc, span: Span) -> bool:
    """Nothing but punctuation or a list mark ("+", "-") before `span`."""
    return not any(token.is_alpha or token.like_num for token in doc[:span.start])


def _verbless_part(doc: Doc, figure: Span, subject: Subject | None, parents: list[tuple[Span, Link]]) -> bool:
    """A figure with no verb in its clause, in a breakdown the sentence opened ("Trong đó, có 10 đảng viên
    nữ, …; 24 đảng viên người dân tộc …"): another part of the same whole."""
    wholes = [span for span, link in parents if "measure-inherited" not in link.rule]
    if not wholes or not _same_kind(subject, parents[-1][1].subject):
        return False
    between = [t for t in _ix(doc).measures if wholes[0].start <= t.end and t.end <= figure.start]
    opening = _openings(between, wholes)
    return bool(opening) and not any(t.label_ == "@total" and t.start >= opening[-1].start for t in between)


def _openings(words: list[Span], wholes: list[Span]) -> list[Span]:
    """The "trong đó", "trong số" among `words` that open a breakdown of the `wholes`: after the last
    ("kết nạp 603 …, trong đó …"), or right before one ("Trong số 94 cán bộ được khen thưởng có 89 …; 27 …")."""
    return [t for t in words if t.label_ == "@inherit"
            and (not wholes or t.start >= wholes[-1].end or any(t.end == w.start for w in wholes))]


def _read_trigger(measure: Measure, trigger: Span, number: NumberMention, triggers: list[Span],
                  previous: Previous) -> tuple[Measure, str]:
    """The measure the nearest free verb gives, corrected by what comes with it.

    A stock verb after a committee word counts its seats ("Ban Chấp hành gồm
    15 đồng chí"); "tổng số … đạt 5.000" reaches a total; "(đạt 90%)" after a
    part of a whole ("925/962 ấp") is that part's share.
    """
    before = [t for t in triggers if t.end <= trigger.start]
    if measure == Measure.count and number.unit == Unit.percent:
        return Measure.share, "measure-percent-of-stock"
    if measure == Measure.count and any(t.label_ == "@committee" for t in before):
        return Measure.other, "measure-committee-size"
    if measure == Measure.achieved and number.unit == Unit.count and number.target is None and any(
            t.label_ == "@total" for t in before):
        return Measure.count, "measure-total-reached"
    if (measure == Measure.achieved and number.unit == Unit.percent and previous
            and previous[-1][1].number.target is not None and previous[-1][1].measure == Measure.count):
        return Measure.share, "measure-share-of-stock"
    return measure, f"measure-{measure.value}-before"


def _own_verb_between(triggers: list[Span], start: int, end: int) -> bool:
    """A verb of its own between the parent figure and "cho"/"trong đó" ("kết nạp 90 …, chuyển đảng chính
    thức cho 165 …"): the later figure is not a part of the parent."""
    return any(t.label_ in FLOWS | {Measure.other.value} and start <= t.start and t.end <= end for t in triggers)


def _same_kind(subject: Subject | None, parent: Subject) -> bool:
    """A breakdown lists parts of its whole: the same subject, or people of people ("550 đảng viên …, trong đó
    457 công nhân")."""
    return subject == parent or (subject in PEOPLE and parent in PEOPLE)


def _breakdown(triggers: list[Span], subject: Subject | None, parents: list[tuple[Span, Link]]) -> Span | None:
    """The "trong đó", "trong số" that opens a breakdown the figure belongs to, or None.

    In a breakdown "có" and "là" describe a part ("kết nạp 603 đảng viên,
    trong đó có 359 đảng viên nữ"; "Trong số 90 cán bộ được khen thưởng có
    40 đảng viên"), so the whole's figure or verb gives the measure; a total
    word ends it ("…, nâng tổng số đảng viên lên 5.000").
    """
    wholes = [span for span, link in parents if "measure-inherited" not in link.rule]
    if wholes and not _same_kind(subject, parents[-1][1].subject):
        return None
    opening = _openings(triggers, wholes)
    if not opening or any(t.label_ == "@total" and t.start >= opening[-1].start for t in triggers):
        return None
    if not wholes and not any(t.label_ in FLOWS | {Measure.other.value} and t.start >= opening[-1].end
                              for t in triggers):
        return None
    return opening[-1]


def _listed_flow(doc: Doc, clause_start: int, triggers: list[Span], subject: Subject | None,
                 parents: list[tuple[Span, Link]]) -> Measure | None:
    """A list after a lead-in that opens a breakdown of a flow ("kết nạp 603 đảng viên, trong đó: …",
    "Trong số đảng viên mới kết nạp: có 930 …"): its parts have that flow unless they have verbs of their own."""
    lead = _lead_in(doc, clause_start)
    if lead is None or any(not t.label_.startswith("@") and t.label_ != Measure.count.value for t in triggers):
        return None
    if any(t.label_ == "@total" for t in triggers):
        return None
    words = [t for t in _ix(doc).measures if lead[0] <= t.start and t.end <= lead[1]]
    if not any(t.label_ == "@inherit" for t in words):
        return None
    lead_parents = [l for s, l in parents if lead[0] <= s.start < lead[1]]
    if lead_parents:
        return lead_parents[-1].measure if _same_kind(subject, lead_parents[-1].subject) else None
    flows = [t for t in words if t.label_ in FLOWS]
    return Measure(flows[-1].label_) if flows and subject in PEOPLE else None


def _ratio_frame(doc: Doc, figure: Span, clause_start: int) -> tuple[Measure, str] | None:
    """"tỷ lệ … 92%" is a share; "đạt tỷ lệ 83% chỉ tiêu" is a result against a target."""
    index = _ix(doc)
    ratios = [t for t in index.measures if t.label_ == "@ratio" and clause_start <= t.start < figure.start]
    if not ratios:
        return None
    achieved = any(t.label_ == Measure.achieved.value and t.end == ratios[-1].start for t in index.measures)
    if achieved and _target_word_after(doc, figure.end):
        return Measure.achieved, "measure-rate-against-target"
    return Measure.share, "measure-ratio-frame"


def _target_word_after(doc: Doc, index: int) -> bool:
    return any(t.label_ == Measure.target.value and index <= t.start <= index + 1 for t in _ix(doc).measures)


def _framed_measure(doc: Doc, figure: Span, number: NumberMention, subject: Subject | None, clause_start: int,
                    previous: Previous) -> tuple[Measure, str] | None:
    """Frames that decide the measure whatever verb is near: a percentage against a past period ("bằng 105% so
    với cùng kỳ": a change, SPEC's `other`), brackets, "N/M chỉ tiêu", a class's people."""
    before = doc[figure.start - 1].text if figure.start > 0 else ""
    if number.unit == Unit.percent and COMPARED_WITH_PAST.match(_ix(doc).text, figure.end_char):
        return Measure.other, "measure-compared-with-the-past"
    if number.unit == Unit.percent and previous and _share_of_a_whole_after_result(doc, figure):
        return Measure.share, "measure-share-of-a-whole"
    if number.unit == Unit.percent and before == "(" and previous:
        return Measure.share, "bracketed-share"
    if before == "(" and figure.start > 1 and _ends_target_word(doc, figure.start - 1):
        return Measure.target, "measure-bracketed-target"
    if number.target is not None and subject == Subject.indicator:
        return Measure.achieved, "measure-indicators-met"
    if previous and previous[-1][1].subject == Subject.class_ and _joined_by(doc, previous[-1][0], figure, ATTENDANCE):
        return Measure.trained, "measure-class-attendance"
    opening = _clause_subject(doc, clause_start, figure.start)
    if opening is not None and opening.label_ == Subject.class_.value and subject in PEOPLE:
        return Measure.trained, "measure-class-members"
    return None


def _share_of_a_whole_after_result(doc: Doc, figure: Span) -> bool:
    """"12.540 đoàn viên, đạt 96% số CNVCLĐ": a result verb right before the percentage and a whole of a
    tracked subject after it (not a plan: "đạt 96% kế hoạch")."""
    index = _ix(doc)
    if not any(t.label_ == Measure.achieved.value and t.end == figure.start for t in index.measures):
        return False
    whole = WHOLE_AFTER.match(index.text, figure.end_char)
    if whole is None:
        return False
    at = next((i for i in range(figure.end, min(len(doc), figure.end + 6)) if doc[i].idx == whole.end()), None)
    return at is not None and any(not s.label_.startswith("@") and s.label_ != Subject.indicator.value
                                  for s in _subjects_at(doc, at))


def _ends_target_word(doc: Doc, index: int) -> bool:
    """"… so với chỉ tiêu nghị quyết (250 đảng viên)": a bracket after a named target gives its figure."""
    return any(t.label_ == Measure.target.value and index - 3 <= t.end <= index for t in _ix(doc).measures)


def _joined_by(doc: Doc, earlier: Span, figure: Span, words: frozenset[str]) -> bool:
    between = doc[earlier.end:figure.start]
    return any(t.lower_ in words for t in between) and not any(s.start > earlier.start and s.end <= figure.start
                                                                  for s in _ix(doc).numbers)


def _free_triggers(doc: Doc, figure: Span, clause_start: int, previous: list[tuple[Span, Link]]) -> list[Span]:
    """Measure words before the figure in its clause that no earlier figure has used up.

    Used up: an earlier figure's own words, a subject it counted ("6/6 chỉ
    tiêu"), the copula describing it ("1.206 đảng viên là đoàn viên"), and a
    one-syllable word that only begins a longer word ("tăng cường") or is part
    of a longer phrase of the lexicon ("đối với", "giới thiệu cho Đảng").
    """
    index = _ix(doc)
    occupied = {i for span, _ in previous for i in range(span.start, span.end)}
    taken_starts = {i for span, _ in previous for i in range(span.end, span.end + 4) if i <= figure.start}
    occupied |= {i for start in taken_starts for s in index.subjects_at.get(start, []) for i in range(s.start, s.end)}
    occupied |= {i for i in range(clause_start, figure.start)
                 if index.lower[i] == "là" and any(clause_start <= span.start and span.end <= i for span, _ in previous)}
    return [t for t in index.measures
            if clause_start <= t.start and t.end <= figure.start and not any(i in occupied for i in range(t.start, t.end))
            and not _part_of_longer(doc, t)]


def _part_of_longer(doc: Doc, trigger: Span) -> bool:
    index = _ix(doc)
    return len(trigger) == 1 and (trigger.start in index.long_word_starts or trigger.start in index.in_phrases)


def _in_target_frame(doc: Doc, figure: Span, triggers: list[Span], clause_start: int, previous: Previous) -> bool:
    """A plan, not a result: a target word before the figure in its clause or in the lead-in before a ":"
    ("đề ra" only right before it: "đề ra 31 chỉ tiêu", not "chỉ tiêu đề ra"),
    or a list that goes on from a target figure ("phấn đấu kết nạp 800 …; 100% cơ sở hội …")."""
    if any(t.label_ == Measure.target.value and not _is_reference(doc, t, clause_start)
           and not _counted(doc, t) and not _done_since(doc, t, figure) for t in triggers):
        return True
    if any(t.label_ == "@sets" and t.end == figure.start for t in triggers):
        return True
    lead = _lead_in(doc, clause_start)
    if lead is not None and any(t.label_ == Measure.target.value and lead[0] <= t.start and t.end <= lead[1]
                                and not _is_reference(doc, t, lead[0]) and not _is_taken(t, previous)
                                for t in _ix(doc).measures):
        return True
    return bool(previous) and "measure-target-frame" in previous[-1][1].rule and not any(
        t.label_ in (Measure.achieved.value, Measure.exceeded.value, "@reference") for t in triggers)


def _counted(doc: Doc, trigger: Span) -> bool:
    """"31 chỉ tiêu", "80 đảng viên/85 chỉ tiêu": a target word that a figure counts frames nothing
    ("năm 2024 chỉ tiêu …" is dated, not counted)."""
    before = doc[trigger.start - 1] if trigger.start > 0 else None
    if before is None or not before.like_num:
        return False
    return not (before.text.isdigit() and 1900 <= int(before.text) <= 2100)


def _done_since(doc: Doc, trigger: Span, figure: Span) -> bool:
    """"Qua rèn luyện, phấn đấu …, đã có 659 đoàn viên được kết nạp": what was done ("đã" before a stock or
    flow verb) is no plan; "chỉ tiêu đã giao là …" still is."""
    index = _ix(doc)
    return any(t.label_ == "@past" and trigger.end <= t.start < figure.start
               and any(v.label_ in FLOWS | {Measure.count.value} for v in index.measures_at.get(t.end, []))
               for t in index.measures)


def _lead_in(doc: Doc, clause_start: int) -> tuple[int, int] | None:
    """The clause before a ":" that opens the list the clause at `clause_start` belongs to."""
    for i in range(clause_start - 1, -1, -1):
        if doc[i].text == ":":
            start = i
            while start > 0 and doc[start - 1].text not in CLAUSE_BREAKS:
                start -= 1
            return start, i
    return None


def _is_taken(span: Span, previous: list[tuple[Span, Link]]) -> bool:
    """A subject span that some earlier figure counted ("6/6 chỉ tiêu"): its words are not triggers."""
    return any(figure.end <= span.start <= figure.end + 3 for figure, _ in previous)


def _is_reference(doc: Doc, trigger: Span, clause_start: int) -> bool:
    """"vượt … chỉ tiêu", "so với kế hoạch", "hoàn thành kế hoạch", "kết nạp được chỉ tiêu 50/100": the
    target is referred to, not set."""
    start = max(clause_start, trigger.start - 4)
    return any(((t.label_ == "@reference" or t.label_ in RESULTS) and start <= t.start and t.end <= trigger.start)
               or (t.label_ in FLOWS and t.end == trigger.start and t.text.lower().endswith(DONE))
               for t in _ix(doc).measures)


def _verb_after(doc: Doc, start: int, clause_end: int, units: bool = False) -> Measure | None:
    """"… đảng viên được biểu dương", "… đã chuyển sinh hoạt đảng": a verb right after a counted subject
    decides, unless it has a counted object of its own ("28 đơn vị đã thành lập công đoàn cơ sở"); a
    percentage's verb describes its subject, not the share, so it is not asked.

    A bracketed aside ("(chiếm 20%)") is stepped over. A
    verb of the other kind decides even with no "được"/"đã" before it
    ("40 đảng viên hoàn thành xuất sắc nhiệm vụ"): a count of people it
    happened to, not a stock; "sau hợp nhất" only dates the stock; attending
    a class ("tham dự lớp bồi dưỡng") is being trained. A flow into the Party
    needs no "được" ("5 đảng viên mới đứng vào hàng ngũ của Đảng"), and units
    that met or beat a target were counted for it ("4 đảng bộ kết nạp đạt
    trên 50% chỉ tiêu", "8 đảng bộ đã kết nạp vượt kế hoạch"; `units`: the subject is not people).
    """
    result = _result_after(doc, start, clause_end) if units else None
    if result is not None:
        return result
    index = _ix(doc)
    i, end = start, min(clause_end, start + 8)
    while i < end:
        word = index.lower[i]
        if word == "(":
            close = index.lower.index(")", i) if ")" in index.lower[i:clause_end] else clause_end
            end, i = min(clause_end, end + close + 1 - i), close + 1
            continue
        if word == "," or i in index.number_starts:
            return None
        verbs = sorted(index.measures_at.get(i, []), key=len, reverse=True)
        if verbs and index.lower[i - 1] not in TIME_BEFORE:
            if verbs[0].label_ in (Measure.other.value, Measure.trained.value) and any(
                    s.label_ == Subject.class_.value for j in range(verbs[0].start, verbs[0].end + 1)
                    for s in _subjects_at(doc, j)):
                return Measure.trained
            if verbs[0].label_ == Measure.other.value:
                return Measure.other
        if (verbs and verbs[0].label_ in FLOWS and verbs[0].text.lower().endswith("đảng")
                and verbs[0].start not in index.in_subjects):
            return Measure(verbs[0].label_)
        if word in ("được", "đã"):
            for trigger in index.measures_at.get(i + 1, []):
                if (trigger.label_ in FLOWS | {Measure.other.value}
                        and (word == "được" or not _subjects_at(doc, trigger.end))):
                    return Measure(trigger.label_)
            agent = _passive_with_agent(doc, i, clause_end) if word == "được" else None
            if agent is not None:
                return agent
        i += 1
    return None


def _passive_with_agent(doc: Doc, by: int, clause_end: int) -> Measure | None:
    """"300 công nhân được tổ chức Công đoàn và cấp ủy giới thiệu cho Đảng": the agent between "được" and
    the verb; the first measure word after it decides when it is a flow or an `other` verb."""
    index = _ix(doc)
    for j in range(by + 2, min(clause_end, by + 2 + PASSIVE_AGENT_REACH)):
        if index.lower[j] == "," or j in index.number_starts:
            return None
        verbs = [t for t in index.measures_at.get(j, []) if not t.label_.startswith("@")]
        if verbs:
            verb = max(verbs, key=len)
            return Measure(verb.label_) if verb.label_ in FLOWS | {Measure.other.value} else None
    return None


def _result_after(doc: Doc, start: int, clause_end: int) -> Measure | None:
    """"đạt"/"vượt" after the subject and a target word after that, before any comma."""
    index = _ix(doc)
    end = min(clause_end, start + 10)
    for i in range(start, end):
        if index.lower[i] in (",", "("):
            return None
        verbs = sorted(index.measures_at.get(i, []), key=len, reverse=True)
        if verbs and verbs[0].label_ in RESULTS and any(
                t.label_ == Measure.target.value and verbs[0].end <= t.start < end + 3 for t in index.measures):
            return Measure(verbs[0].label_)
    return None


def _settle_person(doc: Doc, subject: Subject | None, subject_span: Span | None, measure: Measure, figure: Span,
                   clause_start: int, clause_end: int, previous: Previous) -> tuple[Subject | None, str]:
    """Who a figure of people really counts, once its verb is known.

    People admitted into the Party are party members ("kết nạp 15 quần chúng
    ưu tú", "20 đoàn viên … vào Đảng", "257 người"), and so are the admitted
    part of the Party's candidates, done or planned ("giới thiệu 412 đoàn viên
    ưu tú cho Đảng, trong đó 236 đoàn viên được kết nạp"); otherwise people
    called "ưu tú" are the Party's candidates ("65 đoàn viên ưu tú"). Members
    of another organisation are admitted into it ("kết nạp 600 đoàn viên")
    unless their own words say into the Party.
    """
    if measure in (Measure.admitted, Measure.target) and (
            (measure == Measure.admitted and subject in (None, Subject.party_candidate))
            or (subject in PERSONS and _into_party(doc, clause_start, figure, clause_end))):
        return Subject.party_member, "admitted-into-party"
    if subject in PEOPLE - {Subject.party_member} and _part_of_candidates(doc, figure, previous) and (
            measure == Measure.admitted or (measure == Measure.target and _verb_after(
                doc, subject_span.end if subject_span is not None else figure.end, clause_end) == Measure.admitted)):
        return Subject.party_member, "admitted-part-of-candidates"
    if subject in PERSONS and subject_span is not None and _is_outstanding(doc, subject_span.end):
        return Subject.party_candidate, "outstanding-is-candidate"
    return subject, ""


def _into_party(doc: Doc, clause_start: int, figure: Span, clause_end: int) -> bool:
    """The figure's own admission is into the Party: "kết nạp Đảng" before it, "vào (tổ chức) Đảng" after it
    and before the next figure ("giới thiệu 50 đoàn viên ưu tú cho Đảng, trong đó 30 đoàn viên được kết nạp
    vào Đảng" puts only the 30 into the Party)."""
    index = _ix(doc)
    for trigger in index.measures:
        if trigger.label_ == Measure.admitted.value and clause_start <= trigger.start and trigger.end <= figure.start:
            if trigger.text.lower().endswith("đảng") or index.lower[trigger.end] == "đảng":
                return True
    stop = min([s.start for s in index.numbers if s.start >= figure.end] + [clause_end])
    return any(index.lower[i] == "vào" and "đảng" in index.lower[i + 1:i + 4] for i in range(figure.end, stop)) or any(
        t.label_ == Measure.admitted.value and figure.end <= t.start and t.end <= stop
        and (t.text.lower().endswith("đảng") or (t.end < len(doc) and index.lower[t.end] == "đảng"))
        for t in index.measures)


def _part_of_candidates(doc: Doc, figure: Span, previous: Previous) -> bool:
    """The figure breaks down the people just introduced or trained for the Party ("…, trong đó 236 đoàn viên …")."""
    if not previous:
        return False
    span, link = previous[-1]
    return ((link.subject == Subject.party_candidate or link.measure == Measure.trained) and span.end <= figure.start
            and bool(BREAKDOWN_AFTER.search(_ix(doc).text, doc[span.end].idx if span.end < len(doc) else figure.start_char,
                                            figure.start_char)))


def _is_outstanding(doc: Doc, index: int) -> bool:
    return doc[index:index + 2].text.lower() == "ưu tú"
