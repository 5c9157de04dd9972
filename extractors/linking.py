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

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from schemas import Measure, NumberMention, Subject, Unit

WORDS = "words"

NUMBERS, SUBJECTS, MEASURES, CUES, STATISTICS = "numbers", "subjects", "measures", "org_cues", "statistics"
CLAUSE_BREAKS = {";", ":"}
WEAK_GAP = {"mới", "ưu", "tú", "trẻ"}
STOCK = {Measure.count, Measure.share}
INHERITABLE = {Measure.count, Measure.admitted, Measure.established, Measure.trained, Measure.target, Measure.other}
ATTENDANCE = frozenset({"với", "cho"})
FLOWS = {Measure.admitted.value, Measure.established.value, Measure.trained.value}
COUNT_HEADS = frozenset({"số"})
RATIO_HEADS = frozenset({"tỷ lệ", "tỉ lệ"})
PERSONS = {Subject.party_candidate, Subject.union_member, Subject.youth_member, Subject.worker}

ORG_BY_CUE = {"party": Subject.party_org, "union": Subject.union_org, "youth": Subject.youth_org,
              "women": Subject.women_org, "veterans": Subject.veterans_org}
MEMBER_BY_CUE = {"party": Subject.party_member, "union": Subject.union_member, "youth": Subject.youth_member,
                 "women": Subject.women_member, "veterans": Subject.veterans_member}
CUES_FOR = {"@org": frozenset(ORG_BY_CUE), "@member": frozenset({"union", "youth"}),
            "@assoc_member": frozenset({"women", "veterans", "youth"})}

for _name in ("number", "link"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
if not Doc.has_extension("org_context"):
    Doc.set_extension("org_context", default=None)


@dataclass(frozen=True, slots=True)
class Link:
    number: NumberMention
    subject: Subject
    measure: Measure
    rule: str


@Language.factory("thongke_linker")
def make_linker(nlp: Language, name: str) -> "StatisticLinker":
    return StatisticLinker()


class StatisticLinker:
    """`__call__` links every figure of the Doc, left to right (later figures can inherit from earlier ones)."""

    def __call__(self, doc: Doc) -> Doc:
        links: list[tuple[Span, Link]] = []
        for figure in sorted(doc.spans.get(NUMBERS, []), key=lambda s: s.start):
            link = _link(doc, figure, links)
            if link is not None:
                figure._.link = link
                links.append((figure, link))
        doc.spans[STATISTICS] = [span for span, _ in links]
        return doc


def _link(doc: Doc, figure: Span, earlier: list[tuple[Span, Link]]) -> Link | None:
    number: NumberMention = figure._.number
    clause_start, clause_end = _clause(doc, figure)
    previous = earlier
    found = _subject(doc, figure, number, clause_start, clause_end, previous)
    if found is None:
        return None
    subject_span, subject, subject_rule = found
    measure, measure_rule = _measure(doc, figure, number, subject, subject_span, clause_start, clause_end, previous)
    if number.unit == Unit.percent and measure == Measure.count:
        measure, measure_rule = Measure.share, f"{measure_rule}-as-share"
    subject, person_rule = _settle_person(doc, subject, subject_span, measure, figure, clause_end)
    if subject is None:
        return None
    return Link(number, subject, measure, "+".join(r for r in (subject_rule, measure_rule, person_rule) if r))


def _clause(doc: Doc, figure: Span) -> tuple[int, int]:
    start = figure.start
    while start > 0 and doc[start - 1].text not in CLAUSE_BREAKS:
        start -= 1
    end = figure.end
    while end < len(doc) and doc[end].text not in CLAUSE_BREAKS:
        end += 1
    return start, end


def _subjects_at(doc: Doc, index: int) -> list[Span]:
    """Subject spans starting at token `index`, longest first."""
    return sorted((s for s in doc.spans[SUBJECTS] if s.start == index), key=len, reverse=True)


def _subject(doc, figure, number, clause_start, clause_end, previous):
    """The subject span, code and rule name; None when the figure counts nothing we track."""
    after = figure.end
    while after < clause_end and doc[after].lower_ in WEAK_GAP:
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
        return span, _resolve(doc, span, clause_start, clause_end), "subject-after"
    if number.target is None and (after >= clause_end or doc[after].is_punct):
        named = _counted_by_so(doc, clause_start, figure.start)
        if named is not None:
            return named, _resolve(doc, named, clause_start, clause_end), "subject-before"
    return None


def _percent_subject(doc, figure, right, clause_start, clause_end, previous):
    """A percentage takes the subject of what it measures; with none in sight it is dropped, not guessed."""
    if right and right[0].label_ == Subject.indicator.value:
        measured = _measured_by_indicator(doc, right[0], clause_end)
        if measured is not None:
            return measured, _resolve(doc, measured, clause_start, clause_end), "subject-of-indicator"
    if right and right[0].label_ != Subject.indicator.value and doc[figure.end - 1].text == "%":
        return right[0], _resolve(doc, right[0], clause_start, clause_end), "subject-after"
    ratio = _counted_by_so(doc, clause_start, figure.start, heads=RATIO_HEADS)
    if ratio is not None:
        return ratio, _resolve(doc, ratio, clause_start, clause_end), "subject-named-by-ratio"
    if previous:
        return None, previous[-1][1].subject, "subject-of-previous-figure"
    opening = _clause_subject(doc, clause_start, figure.start)
    if opening is not None and _has_share_verb(doc, opening.end, figure.start):
        return opening, _resolve(doc, opening, clause_start, clause_end), "subject-of-clause"
    if right and right[0].label_ == Subject.indicator.value:
        return right[0], Subject.indicator, "subject-after"
    return None


def _measured_by_indicator(doc: Doc, indicator: Span, clause_end: int) -> Span | None:
    """"đạt 100% chỉ tiêu phát triển đảng viên": the indicator's own verb and subject follow it."""
    verbs = [t for t in doc.spans[MEASURES] if t.start == indicator.end and t.label_ in FLOWS]
    if not verbs:
        return None
    spans = _subjects_at(doc, max(v.end for v in verbs)) if max(v.end for v in verbs) < clause_end else []
    return spans[0] if spans and not spans[0].label_.startswith("@") else None


def _clause_subject(doc: Doc, clause_start: int, before: int) -> Span | None:
    """The subject a clause opens with ("Đảng viên là người dân tộc thiểu số chiếm 18%")."""
    for i in range(clause_start, min(before, clause_start + 2)):
        spans = [s for s in _subjects_at(doc, i) if not s.label_.startswith("@")]
        if spans:
            return spans[0]
    return None


def _has_share_verb(doc: Doc, start: int, end: int) -> bool:
    return any(t.label_ == Measure.share.value and start <= t.start and t.end <= end for t in doc.spans[MEASURES])


def _counted_by_so(doc: Doc, clause_start: int, before: int, heads: frozenset[str] = COUNT_HEADS) -> Span | None:
    """The noun of a "số <subject> … <figure>" frame ("Số Chi, Đảng bộ được thành lập 32").

    The frame does not reach over another figure: "số lượng đảng viên tăng, có
    50 đảng viên, … dưới 30" does not make the last number a count.
    """
    for i in range(before - 1, clause_start - 1, -1):
        if any(s.start == i for s in doc.spans[NUMBERS]):
            return None
        if doc[i].lower_ in heads or doc[i:i + 2].text.lower() in heads:
            for j in range(i + 1, min(before, i + 4)):
                spans = [s for s in _subjects_at(doc, j) if not s.label_.startswith("@") or s.label_ == "@org"]
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
    context = doc._.org_context if doc._.org_context in allowed else None
    cue = (_nearest_cue(doc, span, clause_start, clause_end, allowed)
           or _nearest_cue(doc, span, 0, len(doc), allowed) or context)
    if label == "@org":
        return ORG_BY_CUE.get(cue) if cue else None
    if label == "@member":
        return MEMBER_BY_CUE[cue or "union"]
    return MEMBER_BY_CUE[cue] if cue else Subject.other


def _nearest_cue(doc: Doc, span: Span, clause_start: int, clause_end: int, allowed: frozenset[str]) -> str | None:
    """The organisation (among `allowed`) the clause speaks of nearest to `span`: its own words first, then either side."""
    best: tuple[int, str] | None = None
    for cue in doc.spans[CUES]:
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


def _measure(doc, figure, number, subject, subject_span, clause_start, clause_end, previous):
    """What happened to the figure, and the rule that says so: framing rules first, then the nearest verb."""
    framed = _framed_measure(doc, figure, number, subject, clause_start, previous)
    if framed is not None:
        return framed
    triggers = _free_triggers(doc, figure, clause_start, previous)
    if _in_target_frame(doc, figure, triggers, clause_start, previous):
        return Measure.target, "measure-target-frame"
    if subject_span is not None:
        after = _verb_after(doc, subject_span.end, clause_end)
        if after is not None:
            return after, "measure-verb-after"
    counted_by_so = any(doc[i].lower_ == "số" for i in range(clause_start, figure.start))
    for trigger in sorted(triggers, key=lambda t: (t.end, len(t)), reverse=True):
        if trigger.label_ in ("@reference", "@ratio") or (counted_by_so and trigger.text.lower() == "là"):
            continue
        if trigger.label_ == "@inherit":
            parents = [l for _, l in previous if l.number.unit == Unit.count and l.measure in INHERITABLE]
            if parents:
                return parents[-1].measure, "measure-inherited"
            continue
        measure = Measure(trigger.label_)
        if measure == Measure.count and number.unit == Unit.percent:
            return Measure.share, "measure-percent-of-stock"
        return measure, f"measure-{trigger.label_}-before"
    if number.target is not None:
        return Measure.achieved, "measure-ratio"
    if subject == Subject.class_:
        return Measure.trained, "measure-class-held"
    if number.unit == Unit.percent:
        return Measure.share, "measure-percent-default"
    return Measure.count, "measure-default-count"


def _framed_measure(doc, figure, number, subject, clause_start, previous) -> tuple[Measure, str] | None:
    """Frames that decide the measure whatever verb is near: brackets, "tỷ lệ", "N/M chỉ tiêu"."""
    before = doc[figure.start - 1].text if figure.start > 0 else ""
    if number.unit == Unit.percent and before == "(" and previous:
        return Measure.share, "bracketed-share"
    if before == "(" and figure.start > 1 and _ends_target_word(doc, figure.start - 1):
        return Measure.target, "measure-bracketed-target"
    if number.unit == Unit.percent and any(t.label_ == "@ratio" and clause_start <= t.start < figure.start
                                           for t in doc.spans[MEASURES]):
        return Measure.share, "measure-ratio-frame"
    if number.target is not None and subject == Subject.indicator:
        return Measure.achieved, "measure-indicators-met"
    if previous and previous[-1][1].subject == Subject.class_ and _joined_by(doc, previous[-1][0], figure, ATTENDANCE):
        return Measure.trained, "measure-class-attendance"
    return None


def _ends_target_word(doc: Doc, index: int) -> bool:
    """"… so với chỉ tiêu nghị quyết (250 đảng viên)": a bracket after a named target gives its figure."""
    return any(t.label_ == Measure.target.value and index - 3 <= t.end <= index for t in doc.spans[MEASURES])


def _joined_by(doc: Doc, earlier: Span, figure: Span, words: frozenset[str]) -> bool:
    between = doc[earlier.end:figure.start]
    return any(t.lower_ in words for t in between) and not any(s.start > earlier.start and s.end <= figure.start
                                                                  for s in doc.spans[NUMBERS])


def _free_triggers(doc: Doc, figure: Span, clause_start: int, previous: list[tuple[Span, Link]]) -> list[Span]:
    """Measure words before the figure in its clause that no earlier figure has used up.

    Used up: an earlier figure's own words, a subject it counted ("6/6 chỉ
    tiêu"), the copula describing it ("1.206 đảng viên là đoàn viên"), and a
    one-syllable verb that only begins a longer word ("tăng cường").
    """
    occupied = {i for span, _ in previous for i in range(span.start, span.end)}
    occupied |= {i for s in doc.spans[SUBJECTS] if s.start <= figure.start and _is_taken(s, previous)
                 for i in range(s.start, s.end)}
    occupied |= {i for i in range(clause_start, figure.start)
                 if doc[i].lower_ == "là" and any(clause_start <= span.start and span.end <= i for span, _ in previous)}
    return [t for t in doc.spans[MEASURES]
            if clause_start <= t.start and t.end <= figure.start and not any(i in occupied for i in range(t.start, t.end))
            and not _begins_longer_word(doc, t)]


def _begins_longer_word(doc: Doc, trigger: Span) -> bool:
    return len(trigger) == 1 and any(w.start == trigger.start and len(w) > 1 for w in doc.spans[WORDS])


def _in_target_frame(doc, figure, triggers, clause_start, previous) -> bool:
    """A plan, not a result: a target word before the figure in its clause or in the lead-in before a ":",
    or a list that goes on from a target figure ("phấn đấu kết nạp 800 …; 100% cơ sở hội …")."""
    if any(t.label_ == Measure.target.value and not _is_reference(doc, t, clause_start) for t in triggers):
        return True
    lead = _lead_in(doc, clause_start)
    if lead is not None and any(t.label_ == Measure.target.value and lead[0] <= t.start and t.end <= lead[1]
                                and not _is_reference(doc, t, lead[0]) and not _is_taken(t, previous)
                                for t in doc.spans[MEASURES]):
        return True
    return bool(previous) and "measure-target-frame" in previous[-1][1].rule and not any(
        t.label_ in (Measure.achieved.value, Measure.exceeded.value, "@reference") for t in triggers)


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
    """"vượt … chỉ tiêu", "so với kế hoạch": the target is referred to, not set."""
    window = doc[max(clause_start, trigger.start - 4):trigger.start]
    return any(token.lower_ in ("vượt", "đạt", "với", "theo", "hoàn") for token in window)


def _verb_after(doc: Doc, start: int, clause_end: int) -> Measure | None:
    """"… đảng viên được biểu dương", "… đã chuyển sinh hoạt đảng": a verb right after the subject decides,
    unless it has a counted object of its own ("28 đơn vị đã thành lập công đoàn cơ sở")."""
    for i in range(start, min(clause_end, start + 8)):
        token = doc[i]
        if token.text == "," or any(s.start == i for s in doc.spans[NUMBERS]):
            return None
        if token.lower_ in ("được", "đã"):
            for trigger in doc.spans[MEASURES]:
                if (trigger.start == i + 1 and trigger.label_ in FLOWS | {Measure.other.value}
                        and (token.lower_ == "được" or not _subjects_at(doc, trigger.end))):
                    return Measure(trigger.label_)
    return None


def _settle_person(doc, subject, subject_span, measure, figure, clause_end):
    """Who a figure of people really counts, once its verb is known.

    People admitted into the Party are party members ("kết nạp 15 quần chúng
    ưu tú", "20 đoàn viên … vào Đảng", "257 người"); otherwise people
    called "ưu tú" are the Party's candidates ("65 đoàn viên ưu tú").
    """
    if measure in (Measure.admitted, Measure.target) and (
            (measure == Measure.admitted and subject in (None, Subject.party_candidate))
            or (subject in PERSONS and _into_party(doc))):
        return Subject.party_member, "admitted-into-party"
    if subject in PERSONS and subject_span is not None and _is_outstanding(doc, subject_span.end):
        return Subject.party_candidate, "outstanding-is-candidate"
    return subject, ""


def _into_party(doc: Doc) -> bool:
    """The admission is into the Party: "vào (tổ chức) Đảng", "kết nạp Đảng"."""
    for trigger in doc.spans[MEASURES]:
        if trigger.label_ == Measure.admitted.value:
            if trigger.text.lower().endswith("đảng") or (trigger.end < len(doc) and doc[trigger.end].lower_ == "đảng"):
                return True
    return any(doc[i].lower_ == "vào" and any(t.lower_ == "đảng" for t in doc[i + 1:i + 4]) for i in range(len(doc)))


def _is_outstanding(doc: Doc, index: int) -> bool:
    return doc[index:index + 2].text.lower() == "ưu tú"
