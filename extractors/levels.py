"""Levels: how much of its province a figure speaks for (SPEC.md, Levels).

A level is read from cues: the place word a body name or a "whole" word
carries ("Đảng bộ huyện …", "toàn tỉnh", "LĐLĐ thành phố"), a full cue
("Huyện ủy", "Đảng bộ Công an tỉnh", "toàn quốc"), a party or union body
followed by a proper name ("Chi bộ Công ty …", "Đảng bộ Than …": one unit),
a slice of the province ("trong các doanh nghiệp ngoài nhà nước"), and a
province-wide force named bare as a list item with its figure ("…; Hội An
110; Công an 12; Quân sự 29": sector). Every
cue is a line of `lexicons/levels.jsonl` (label = level code, id = how the cue
is used); this module only decides which cue governs a figure:

1. level-slice-after: a slice after the figure in its clause ("có 73 tổ chức
   đảng với 1.549 đảng viên trong doanh nghiệp ngoài nhà nước").
2. level-sentence: the nearest cue before the figure in its sentence, so that
   in a list of units each figure takes its own unit's level ("Đảng bộ huyện
   A kết nạp 52 …; Đảng bộ Công an tỉnh kết nạp 21 …"); "mỗi chi bộ" reaches
   only its clause, a slice its clause and the "; trong đó …" that follow.
3. level-context: the last body cue of the sentences before it (the body the
   article is speaking of: "Đảng bộ xã … Nâng tổng số đảng viên lên 264");
   slices and "mỗi …" cues do not carry over, nor one unit named in a
   breakdown ("Trong đó, Đảng bộ Công ty A kết nạp 12 …").
4. level-article: the article's first cue after the figure, for a title or
   lead that names none.

A cue is not a body when it is what a figure counts ("22 chi bộ thôn") or a
person's title ("Bí thư Tỉnh ủy"). "Thành phố"/"TP"/"Thành ủy" is a whole
province for a centrally-run city ("LĐLĐ TP Hải Phòng", or no name in such a
city's article) and a district otherwise ("Đảng bộ thành phố Bắc Kạn"). An
industrial park with a proper name is one unit ("Đảng bộ KCN …"), the
province's parks together a sector. "toàn Đảng bộ" is the body in hand, "các
cấp Hội/công đoàn" the article's first body. Null when no cue is written.
"""

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import regex

from extractors.lexicon import patterns
from extractors.places import provinces
from schemas.codes import Level

_LEFT, _RIGHT = r"(?<![\p{L}\p{N}])", r"(?![\p{L}\p{N}])"
_COUNTED = regex.compile(r"(?<!(?:19|20)\d\d[-/])(?<![\d.,])\d(?:[.,]?\d)*%?[^\S\n]+$")  # "22 chi bộ thôn": the cue
# is what is counted; a dateline's month ("2023-12 Ban Thường vụ Tỉnh ủy …") or a date line above counts nothing
_CLAUSE_BREAK = regex.compile(r"[;:]")
_ITEMS = regex.compile(r"\d[^,]*,|,[^\d]*\d")  # another figure and a comma: a list of items
_WINDOW = 120
_CUE_KINDS = ("cue", "slice", "whole", "each", "item", "place", "site", "named", "head", "where")
_LIST_WINDOW = 400
_ITEM_END = regex.compile(r"[,;.]|$")
_OWN_FIGURE = regex.compile(r"\s*\d")
_QUALIFIES = regex.compile(r"[^\d;.]{0,25}")
_ITEM_START = regex.compile(r"[;:]\s*$")
_GLOSS = regex.compile(r"(?<=\p{L})\s\(\p{Lu}[\p{Lu}\p{Ll}]{0,7}\)(?=\s+\p{Ll})")
_SENTENCE_START = regex.compile(r"(?:^|[.\n])\s*$")
_SENTENCE_END = regex.compile(r"[.!?](?=\s)")


@dataclass(frozen=True, slots=True)
class LevelCue:
    """A level cue as found in the text: its level and the lexicon kind that made it."""

    start: int
    end: int
    level: Level
    kind: str


@dataclass(frozen=True, slots=True)
class LevelDecision:
    level: Level | None
    rule: str


@dataclass(frozen=True, slots=True)
class _Lexicon:
    cues: regex.Pattern
    starts: regex.Pattern  # the first words of every cue: a cheap scan that finds where a cue may start
    labels: dict[str, tuple[str, str]]
    cities: tuple[str, ...]
    sites: frozenset[str]
    name: regex.Pattern  # a proper name after a unit word, which may open with "cổ phần", "TNHH", "số"
    not_body: regex.Pattern  # a member's title or a parent word right before a cue
    titles: regex.Pattern  # a chair's or secretary's title: the body counts when the person reports
    speech: regex.Pattern
    reported: regex.Pattern  # "Theo ông A, Chủ tịch Hội CCB tỉnh, …": the person reports for the body
    plural: regex.Pattern
    distributive: regex.Pattern  # "Đối với các đảng bộ xã, …": a figure for each of them
    lists: regex.Pattern
    continues: regex.Pattern  # a clause that goes on breaking down the one before ("; trong đó có …")
    continues_word: regex.Pattern
    contrast: regex.Pattern  # "… 12.984 doanh nghiệp nhưng chỉ có 65 tổ chức đảng trong …": a new clause
    topic: regex.Pattern  # "Ở xã A, …": a place that opens a sentence is its subject
    counted_places: regex.Pattern  # "66/67 tỉnh, thành Đoàn": bodies a figure counts, listed by place


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _alternation(words: list[str]) -> str:
    """One pattern for many phrases, as a trie: a flat alternation of two thousand phrases is slow to scan.

    Phrases match case-insensitively, a space as any run of spaces; a longer phrase wins over its prefix.
    """
    trie: dict = {}
    for word in {" ".join(w.lower().split()) for w in words}:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie(trie)


def _trie(node: dict) -> str:
    branches = [(r"\s+" if char == " " else regex.escape(char)) + _trie(child)
                for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


@cache
def _lexicon() -> _Lexicon:
    """One regex over every cue: full cues, head + place, and a unit head before a proper name on its line
    (a rubric "Xã hội | Công đoàn" is not the body of the title below it)."""
    by_id: dict[str, list[dict]] = {}
    for entry in patterns("levels"):
        by_id.setdefault(entry["id"], []).append(entry)
    words = {kind: [e["pattern"] for e in entries] for kind, entries in by_id.items()}
    labels: dict[str, tuple[str, str]] = {}
    for entry in by_id["cue"] + by_id["slice"] + by_id["whole"] + by_id["each"] + by_id["item"]:
        labels[_key(entry["pattern"])] = (entry["label"], entry["id"])
    for head in by_id["head"]:
        for part in (x for x in by_id["slice"] if x["pattern"].startswith("các ")):  # "Công đoàn các KCN"
            labels.setdefault(_key(f"{head['pattern']} {part['pattern']}"), (Level.sector, "cue"))
    for head in by_id["head"] + by_id["where"]:
        for place in by_id["place"] + by_id["site"]:
            if head["id"] == "where" and (place["label"] == Level.unit or place["id"] == "site"):
                continue  # "trong doanh nghiệp", "của công ty" name no one unit
            kind = "slice" if head["id"] == "where" and place["label"] == Level.sector else place["id"]  # "trong ngành"
            labels.setdefault(_key(f"{head['pattern']} {place['pattern']}"), (place["label"], kind))
    territorial = [p["pattern"] for p in by_id["place"] if p["label"] in ("province", "district", "commune")]
    for place in by_id["place"]:
        if place["pattern"] in territorial:
            labels.setdefault(_key(place["pattern"]), (place["label"], "named-place"))
    literal = _alternation(list(labels))
    unit_heads = _alternation([h["pattern"] for h in by_id["head"] if h["label"] == "@unit-head"]
                              + words["named"] + words["site"])
    pattern = rf"{_LEFT}(?:(?P<cue>{literal}){_RIGHT}|(?P<named>{unit_heads})[^\S\n]+(?!(?:{literal}){_RIGHT})(?=\w))"
    name = regex.compile(rf"(?:[^\S\n]|\.)*(?:(?i:{_alternation(words['name-word'])})\s+)*(\p{{Lu}}[\p{{L}}.]*(?:\s+\p{{Lu}}\p{{L}}*)*|\d)")
    firsts = [e["pattern"].split()[0] for kind in _CUE_KINDS for e in by_id[kind]]
    return _Lexicon(regex.compile(pattern, regex.IGNORECASE),
                    regex.compile(rf"{_LEFT}(?:{_alternation(firsts)}){_RIGHT}", regex.IGNORECASE),
                    labels, tuple(words["city"]),
                    frozenset(_key(w) for w in words["site"]), name,
                    _before(words["member"] + words["parent"]), _before(words["title"]),
                    regex.compile(rf"{_LEFT}(?:{_alternation(words['speech'])}){_RIGHT}", regex.IGNORECASE),
                    regex.compile(rf"{_LEFT}(?:{_alternation(words['reporting'])})\s+[^,.;:\n]{{2,40}},\s*"
                                  rf"(?:{_alternation(words['title'])})\s*$", regex.IGNORECASE),
                    _before(words["plural"], listed=True), _before(words["distributive"], listed=True),
                    regex.compile(rf"{_LEFT}(?:{_alternation(words['list'])})[^;.]*$", regex.IGNORECASE),
                    regex.compile(rf";\s*(?:{_alternation(words['continues'])}){_RIGHT}", regex.IGNORECASE),
                    regex.compile(rf"{_LEFT}(?:{_alternation(words['continues'])}){_RIGHT}", regex.IGNORECASE),
                    regex.compile(rf"{_LEFT}(?:{_alternation(words['contrast'])}){_RIGHT}", regex.IGNORECASE),
                    regex.compile(rf"(?:^|[.\n]\s*)(?:{_alternation(words['topic'])})\s+$", regex.IGNORECASE),
                    regex.compile(rf"\d%?\s+(?:{_alternation(territorial)}),\s*$", regex.IGNORECASE))


def _before(words: list[str], listed: bool = False) -> regex.Pattern:
    """The words right before a cue; `listed` lets a short list stand between ("các huyện, thị, thành ủy")."""
    between = r"(?:\s+[\w ]{1,12},)*" if listed else ""
    return regex.compile(rf"{_LEFT}(?:{_alternation(words)}){between}\s*$", regex.IGNORECASE)


def find_level_cues(text: str, province: str | None = None) -> list[LevelCue]:
    """The level cues of a text, left to right; `province` (the article's) settles a nameless "thành phố".

    An abbreviation in brackets is read as blank space ("Liên đoàn Lao động (LĐLĐ) tỉnh" is "Liên đoàn Lao
    động tỉnh"), offsets unchanged."""
    text = _GLOSS.sub(lambda gloss: " " * len(gloss.group()), text)
    lexicon = _lexicon()
    sites = lexicon.sites
    cues: list[LevelCue] = []
    main: Level | None = None  # the article's first body: what "các cấp Hội" means
    body: Level | None = None  # the last body named: what "toàn Đảng bộ" means
    for m in _matches(text, lexicon):
        name = lexicon.name.match(text, m.end())
        if m.group("named"):
            if not (text[m.end()].isupper() or text[m.end()].isdigit()):
                continue
            provincial = bool(name) and name.group(1).startswith(provinces())
            site = _key(m.group("named")) in sites
            if site and not _opens_clause(text, m, lexicon):
                continue  # "lấy Khu kinh tế Vũng Áng làm động lực": a place named, not a body
            label = (Level.sector if site else Level.province) if provincial else Level.unit
            kind = "site" if site else "named"
        else:
            label, kind = lexicon.labels[_key(m.group("cue"))]
        if not _is_body(text, m, kind, lexicon):
            continue
        if kind == "item" and not (_ITEM_START.search(text, max(0, m.start() - 8), m.start())
                                   and _OWN_FIGURE.match(text, m.end())):
            continue  # "Công an" is the province's force only as a list item with its figure: "…; Công an 12;"
        if label == Level.unit and kind == "place" and not name:
            continue  # "Chi, Đảng bộ doanh nghiệp": a kind of unit, not one unit
        if kind == "named-place" and not (name and m.end() == name.start(1) - 1 and (m.group()[0].isupper() or _opens_clause(text, m, lexicon))):
            continue  # a bare place word is where something is, unless it heads a clause: "Huyện Tịnh Biên đã …"
        if label == "@city":
            label = _city_level(name.group(1) if name else None, province, lexicon.cities)
        elif kind == "site" and name:  # "KCN Tân Phú": one park; "Khu kinh tế Hải Phòng": the province's zone
            label = Level.sector if name.group(1).startswith(provinces()) else Level.unit
        elif label in ("@whole", "@all-levels"):  # the body in hand; all levels of the article's first body
            label = main if label == "@all-levels" else body
            if label is None:
                continue
        cue = LevelCue(m.start(), m.end(), Level(label), kind)
        if cues and cues[-1].kind == "slice" and kind != "slice" and _QUALIFIES.fullmatch(text, cues[-1].end, cue.start):
            continue  # "các KCN trên địa bàn tỉnh": the place says whose slice it is
        cues.append(cue)
        if kind not in ("slice", "each"):
            main, body = main or cue.level, cue.level
    return cues


def _matches(text: str, lexicon: _Lexicon) -> Iterator[regex.Match]:
    """The cues of `text`, leftmost and not overlapping, tried only where a cue's first word stands."""
    end = 0
    for start in lexicon.starts.finditer(text):
        if start.start() >= end and (m := lexicon.cues.match(text, start.start())):
            end = m.end()
            yield m


def _is_body(text: str, cue: regex.Match, kind: str, lexicon: _Lexicon) -> bool:
    """Whether a cue names the body a figure belongs to.

    It does not when it is what a figure counts ("22 chi bộ thôn", "60 tỉnh, thành Đoàn"), a
    person's title ("Ủy viên Ban Chấp hành Trung ương", "Tỉnh ủy viên"; "Bí thư
    Thành ủy" unless the person reports: "…, Chủ tịch Hội CCB tỉnh cho biết", "Theo ông A, Chủ tịch
    Hội CCB tỉnh, …"), many bodies ("các
    huyện"; a slice is many by nature; "đối với các đảng bộ xã" sets a figure
    for each), a parent ("trực thuộc Đảng bộ Khối") or where members and
    delegates go ("gia nhập Công đoàn …", "đi dự Đại hội …"), an item of a list with no
    figure of its own ("gồm: CĐCS Cty …, CĐCS …"), or page furniture (a line
    in capitals).
    """
    before = text[max(0, cue.start() - _WINDOW):cue.start()]
    if lexicon.lists.search(text[max(0, cue.start() - _LIST_WINDOW):cue.start()]) and not any(
            ch.isdigit() for ch in text[cue.end():_ITEM_END.search(text, cue.end()).start()]):
        return False
    if kind != "slice" and (_COUNTED.search(before) or lexicon.counted_places.search(before)):
        return False  # a slice counted ("1.750 doanh nghiệp ngoài nhà nước") is still the figure's slice
    if lexicon.not_body.search(before) or text.startswith(" viên", cue.end()):
        return False
    if (lexicon.titles.search(before) and not lexicon.reported.search(before)
            and not lexicon.speech.search(text, cue.end(), _ITEM_END.search(text, cue.end()).end() + _WINDOW)):
        return False
    if kind != "slice" and lexicon.plural.search(before) and not lexicon.distributive.search(before):
        return False
    line_start, line_end = text.rfind("\n", 0, cue.start()) + 1, text.find("\n", cue.end())
    return any(ch.islower() for ch in text[line_start:line_end if line_end >= 0 else len(text)])


def _opens_clause(text: str, cue: regex.Match, lexicon: _Lexicon) -> bool:
    """A cue that opens a sentence ("Khu kinh tế Nghi Sơn có …", "Ở xã A Ngo, …") or a list item
    ("; huyện Phú Quý (120%)") is its subject, not where something else is."""
    before = text[max(0, cue.start() - 8):cue.start()]
    return bool(_ITEM_START.search(before) or _SENTENCE_START.search(before) or lexicon.topic.search(before))


def _city_level(name: str | None, province: str | None, cities: tuple[str, ...]) -> str:
    """A centrally-run city is a province; a city under a province is a district."""
    if name:
        return Level.province if name.startswith(cities) else Level.district
    return Level.province if province in cities else Level.district


class LevelTracker:
    """Answers "how much of its province does the figure at this offset speak for?" for one article."""

    def __init__(self, text: str, province: str | None = None) -> None:
        self._text = text
        self._cues = find_level_cues(text, province)
        self._starts = [cue.start for cue in self._cues]
        self._ends = [cue.end for cue in self._cues]

    def level_for(self, sentence_start: int, sentence_end: int, figure_start: int, figure_end: int) -> LevelDecision:
        """The governing cue's level (rules in the module docstring), with the rule that chose it."""
        after = bisect.bisect_left(self._starts, figure_end)
        if after < len(self._cues):
            cue = self._cues[after]
            if cue.kind == "slice" and cue.end <= sentence_end and self._slice_covers(figure_end, cue):
                return LevelDecision(cue.level, "level-slice-after")
        before = bisect.bisect_right(self._ends, figure_start) - 1
        for cue in self._nearest_first(before):
            if cue.start < sentence_start:
                break
            if self._reaches(cue, figure_start):
                return LevelDecision(cue.level, f"level-sentence.{cue.kind}")
        body = self._context_body(before)
        if body:
            return LevelDecision(body.level, f"level-context.{body.kind}")
        if after < len(self._cues):
            return LevelDecision(self._cues[after].level, f"level-article.{self._cues[after].kind}")
        return LevelDecision(None, "level-none")

    def _context_body(self, last: int) -> LevelCue | None:
        """The nearest body cue up to index `last` that is not one unit of a breakdown, else the nearest body."""
        nearest = None
        for cue in self._nearest_first(last):
            if cue.kind in ("slice", "each"):
                continue
            if not self._one_unit_of_a_breakdown(cue):
                return cue
            nearest = nearest or cue
        return nearest

    def _one_unit_of_a_breakdown(self, cue: LevelCue) -> bool:
        """One unit named in a breakdown ("Trong đó, Đảng bộ Công ty A kết nạp 12 …") is one part of the body
        in hand: the sentences after it speak of the whole again."""
        if cue.level != Level.unit:
            return False
        window = max(0, cue.start - _WINDOW)
        ends = [m.end() for m in _SENTENCE_END.finditer(self._text, window, cue.start)]
        opening = max([window, self._text.rfind("\n", 0, cue.start) + 1, *ends])
        return bool(_lexicon().continues_word.search(self._text, opening, cue.start))

    def _nearest_first(self, last: int) -> Iterator[LevelCue]:
        """The cues up to index `last`, nearest first, read lazily: a figure looks back only as far as it must."""
        return (self._cues[i] for i in range(last, -1, -1))

    def _slice_covers(self, figure_end: int, cue: LevelCue) -> bool:
        """A slice after a figure covers it unless a clause, a contrast ("nhưng") or a breakdown comes between
        ("259 đảng viên, trong đó có nhiều … thuộc khối doanh nghiệp") or the slice has a figure of its own
        ("khối doanh nghiệp 20 đồng chí")."""
        between = self._text[figure_end:cue.start]
        return not (_CLAUSE_BREAK.search(between) or _ITEMS.search(between)
                    or _lexicon().continues_word.search(between) or _lexicon().contrast.search(between)
                    or _OWN_FIGURE.match(self._text, cue.end))

    def _reaches(self, cue: LevelCue, figure_start: int) -> bool:
        """A body reaches the rest of its sentence; "mỗi chi bộ" its own clause; a slice its clause and
        the clauses that break it down ("…; trong đó có 457 công nhân")."""
        if cue.kind not in ("slice", "each"):
            return True
        between = self._text[cue.end:figure_start]
        if cue.kind == "each":
            return ";" not in between
        continues = _lexicon().continues
        return all(continues.match(between, at.start()) for at in regex.finditer(";", between))
