"""Places named in an article, and the province a figure belongs to.

The 63 pre-2025 provinces, their short names, their districts and wards and
the 2025 mapping into 34 units come from underthesea's address data, read once
into a compact gazetteer. `lexicons/places.json` adds what underthesea lacks:
spelling variants and nicknames, and the cues that tell a place from a
person ("Nguyễn Thái Bình", "chị Hà Giang") or from a longer name ("Thái Bình
Dương").

What counts as a place, strongest first:
- a province with a unit word: "tỉnh Thái Nguyên", "Tỉnh ủy Bắc Ninh", "TP.HCM";
- a bare province name: "Chi nhánh Tuyên Quang", "Khu kinh tế Hải Phòng";
- a district or ward with its unit word or one of its bodies, when the name is
  unique in the country: "thành phố Việt Trì", "TP.Việt Trì", "Huyện ủy Lục
  Ngạn", "KCN Thụy Vân" ("huyện Châu Thành" names
  several provinces and is ignored; bare district names are never used: they
  are also street and person names);
- a nickname: "xứ Thanh", "đất Cảng".

An address ("xã A, huyện B, tỉnh C") is one place and votes once for the
article. The paper's province (outlet, byline, a provincial site's address, an
unknown byline's initials) adds a vote and breaks ties; "tỉnh ta" is the
paper's province, "cả nước" no province.

Old and new names. `province` is always one of the 63 old units. The 2025
units all carry an old unit's name, so a name alone is read as the old unit,
except when the article marks it as the new one ("tỉnh Lâm Đồng (mới)") or
is published on or after 1 July 2025 and the name is a unit that absorbed
others (in such an article "tỉnh Lâm Đồng" covers old Lâm Đồng, Bình Thuận and
Đắk Nông). Such a mention has `era="2025"`. A figure of the new unit takes
the old province of the same name ("Đảng bộ tỉnh Khánh Hòa (mới) có …" →
Khánh Hòa, province_2025 Khánh Hòa), as two independent annotators did; a
figure stated for "Ninh Thuận (cũ)" keeps Ninh Thuận. The article's province
is read the same way. A new unit whose name matches no old province (none so
far: every 2025 unit kept an old unit's name) would be None. "(cũ)" marks the
old unit explicitly. Thừa Thiên Huế, which underthesea already calls
"Huế", is reported under its pre-2025 name.
"""

import json
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path

import regex
import underthesea.address
from underthesea.address.normalizer import normalize_key

from extractors.lexicon import table
from extractors.spans import Covered, longest_first
from schemas import Article

MAPPING = Path(underthesea.address.__file__).parent / "data" / "mapping.json"
REFORM_2025 = date(2025, 7, 1)

# Votes of one mention for the article's province, by kind; the outlet's vote
# equals one bare name and wins ties, so a single passing mention of another
# province does not outvote the paper, but two do.
WEIGHTS = {"unit": 3, "province": 2, "district": 1, "ward": 1, "industrial": 1, "nickname": 1}
#: Industrial parks are often named after a commune of another province ("KCN Long Mỹ" is in Bình Định, Long Mỹ
#: a town of Hậu Giang): they vote for the article but never place a figure by themselves.
FIGURE_KINDS = frozenset({"unit", "province", "district", "ward", "nickname"})
#: The size of a place in an address, smallest first: "xã A, huyện B, tỉnh C" climbs it.
ADDRESS_RANK = {"ward": 0, "industrial": 0, "district": 1, "unit": 2, "province": 2, "nickname": 2}
VENUE_REACH = 5  # "tại " right before an address
OUTLET_WEIGHT = 2
TITLE_FACTOR = 2

_SYLLABLE = r"\p{Lu}[\p{Ll}\p{M}]*"
_LEFT = r"(?<![\p{L}\p{N}])"
_RIGHT = r"(?![\p{L}\p{N}])"
_DOMAIN = regex.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.gov\.vn", regex.IGNORECASE)
_SITE = regex.compile(r"(?:[a-z0-9-]+\.)+(?:vn|com|org|net)\b", regex.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place as written; `province` is one of the 63 pre-2025 names.

    `kind` is how it was named (see WEIGHTS); `era` is "2025" when the text
    means the post-2025 unit, "old" when it says "(cũ)", else None.
    """

    start: int
    end: int
    text: str
    province: str
    kind: str = "province"
    era: str | None = None


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    to_2025: dict[str, str]
    merged_2025: frozenset[str]
    slugs: dict[str, str]
    districts: dict[str, str]
    wards: dict[str, str]
    wards_2025: dict[str, str]
    ambiguous: frozenset[str]
    names: regex.Pattern
    forms: dict[str, str]
    initials: dict[str, frozenset[str]]
    locals: regex.Pattern
    nicknames: regex.Pattern
    not_places: regex.Pattern


def _alternation(words: Sequence[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def _gazetteer() -> _Gazetteer:
    data = json.loads(MAPPING.read_text(encoding="utf-8"))
    extra = table("places")
    overrides = extra["old_name_overrides"]
    old = {key: overrides.get(info["short"], info["short"]) for key, info in data["old_province_names"].items()}
    new = {key: info["short"] for key, info in data["province_names"].items()}
    to_2025 = {old[key]: new[target] for key, target in data["province_mapping"].items()}
    absorbed = Counter(to_2025.values())
    merged = frozenset(name for name, count in absorbed.items() if count > 1)

    slugs = {normalize_key(name): name for name in old.values()}
    slugs.update({key: old[key] for key in old})
    slugs.update({key.removeprefix("tinh").removeprefix("thanhpho"): old[key] for key in old})
    slugs.update(extra["domain_aliases"])

    districts: dict[str, set[str]] = {}
    wards: dict[str, set[str]] = {}
    wards_2025: dict[str, set[str]] = {}
    unit_prefix = regex.compile(r"^(?:Huyện|Quận|Thị xã|Thành phố|Phường|Xã|Thị trấn) ")
    for row in data["ward_mapping"]:
        province = old[row["old_province_key"]]
        districts.setdefault(unit_prefix.sub("", row["old_district"]), set()).add(province)
        wards.setdefault(unit_prefix.sub("", row["old_ward"]), set()).add(province)
        wards_2025.setdefault(unit_prefix.sub("", row["new_ward"]), set()).add(province)

    forms = {name: name for name in old.values()}
    for name, aliases in extra["aliases"].items():
        forms.update(dict.fromkeys(aliases, name))
    forms.update({info["short"]: old[key] for key, info in data["old_province_names"].items()})
    units = _alternation(extra["unit_words"])
    names = regex.compile(rf"{_LEFT}(?:(?P<unit>{units})\s+)?(?P<name>{_alternation(list(forms))}){_RIGHT}")
    local_words = extra["district_words"] + extra["ward_words"] + extra["industrial_words"]
    locals_ = regex.compile(
        rf"{_LEFT}(?P<unit>{_alternation(local_words)})(?:\s+|(?<=\.))(?P<name>{_SYLLABLE}(?:[ -]{_SYLLABLE}){{0,3}})"
    )
    initials: dict[str, set[str]] = {}
    for name in old.values():
        letters = "".join(word[0] for word in regex.findall(r"\p{L}+", name)).upper()
        for prefix in ("", *extra["byline_prefixes"]):
            for suffix in ("", *extra["byline_suffixes"]):
                initials.setdefault(prefix + letters + suffix, set()).add(name)
    return _Gazetteer(
        to_2025=to_2025,
        merged_2025=merged,
        slugs=slugs,
        districts={name: next(iter(p)) for name, p in districts.items() if len(p) == 1},
        wards={name: next(iter(p)) for name, p in wards.items() if len(p) == 1 and name not in forms},
        wards_2025={name: next(iter(p)) for name, p in wards_2025.items() if len(p) == 1 and name not in forms},
        ambiguous=frozenset(name for name in districts.keys() | wards.keys()
                            if len(districts.get(name, set()) | wards.get(name, set())) > 1),
        names=names,
        forms=forms,
        initials={key: frozenset(names) for key, names in initials.items()},
        locals=locals_,
        nicknames=regex.compile(rf"{_LEFT}(?:{_alternation(list(extra['nicknames']))}){_RIGHT}"),
        not_places=regex.compile(rf"{_LEFT}(?:{_alternation(extra['not_places'])}){_RIGHT}"),
    )


def province_2025(province: str) -> str | None:
    """The unit an old province belongs to since 2025: "Bình Thuận" → "Lâm Đồng"."""
    return _gazetteer().to_2025.get(province)


def provinces() -> tuple[str, ...]:
    """The 63 pre-2025 names, in underthesea's order."""
    return tuple(_gazetteer().to_2025)


def province_from_domain(domain: str) -> str | None:
    """A province government site names its province: "thanhphohaiphong.gov.vn" → "Hải Phòng"."""
    labels = domain.lower().removesuffix(".gov.vn").split(".")
    return _gazetteer().slugs.get(labels[-1]) if domain.lower().endswith(".gov.vn") else None


def province_from_site(domain: str) -> str | None:
    """A provincial body's or paper's site spells its province: "tinhdoandongthap.org.vn" (the provincial youth
    union), "baoquangbinh.vn" → the province. The name must come with one of the site words of `places.json`,
    so that a bare slug inside another word is not read."""
    extra, gaz = table("places"), _gazetteer()
    for label in domain.lower().split("."):
        for prefix in ("", *extra["site_prefixes"]):
            for suffix in ("", *extra["site_suffixes"]):
                core = label.removeprefix(prefix).removesuffix(suffix) if label.startswith(prefix) and label.endswith(suffix) else ""
                if (prefix or suffix) and core in gaz.slugs:
                    return gaz.slugs[core]
    return None


def province_from_byline(byline: str) -> str | None:
    """An unknown paper's byline often spells its province's initials ("(QBĐT)" Quảng Bình điện tử, "(GLO)" Gia
    Lai online, "(BKT)" Báo Kon Tum): the province when the initials name only one ("(ĐN)" names three)."""
    letters = "".join(regex.findall(r"\p{L}+", byline)).upper()
    named = _gazetteer().initials.get(letters, frozenset())
    return next(iter(named)) if len(named) == 1 else None


def find_places(text: str, offset: int = 0, *, after_2025: bool = False) -> list[PlaceMention]:
    """Provinces, unique districts and wards, and nicknames named in `text`, left to right, without overlaps.

    `after_2025`: the text was written after the reform, so "phường X"/"xã X"
    names a new ward (read back to the one old province its parts came from).
    """
    gaz = _gazetteer()
    blocked = [m.span() for m in gaz.not_places.finditer(text)]
    found = [*_province_names(text, gaz, blocked), *_local_units(text, gaz, gaz.wards_2025 if after_2025 else gaz.wards)]
    extra = table("places")["nicknames"]
    found += [PlaceMention(m.start(), m.end(), m.group(), extra[m.group()], "nickname") for m in gaz.nicknames.finditer(text)]
    return [replace(m, start=m.start + offset, end=m.end + offset) for m in longest_first(found)]


def _province_names(text: str, gaz: _Gazetteer, blocked: list[tuple[int, int]]) -> list[PlaceMention]:
    extra = table("places")
    found = []
    for match in gaz.names.finditer(text):
        name, unit = match.group("name"), match.group("unit")
        province = gaz.forms[name]
        if any(start <= match.start("name") < end for start, end in blocked):
            continue
        if not unit and (name in extra["needs_unit_word"] or _after_local_word(text, match.start())
                         or _looks_like_person(text, match.start())):
            continue
        found.append(PlaceMention(match.start(), match.end(), match.group(), province,
                                  "unit" if unit else "province", _era(text, match.end())))
    return found


def _local_units(text: str, gaz: _Gazetteer, wards: dict[str, str]) -> list[PlaceMention]:
    """Districts and wards with their unit word, read as the longest unique name."""
    extra = table("places")
    found = []
    for match in gaz.locals.finditer(text):
        unit = match.group("unit")
        if unit in extra["ward_words"]:
            indexes, kind = [wards], "ward"
        elif unit in extra["district_words"]:
            indexes, kind = [gaz.districts], "district"
        else:
            indexes, kind = [gaz.districts, wards], "industrial"
        if unit in extra["unit_words"] and match.group("name").startswith(tuple(gaz.forms)):
            continue
        words = regex.split(r"(?<=\S)(?=[ -])", match.group("name"))
        for size in range(len(words), 0, -1):
            name = "".join(words[:size])
            named = {index[name] for index in indexes if name in index}
            if len(named) == 1 and (kind != "industrial" or name not in gaz.ambiguous):
                province = named.pop()
                end = match.start("name") + len(name)
                found.append(PlaceMention(match.start(), end, text[match.start():end], province, kind, _era(text, end)))
                break
    return found


@cache
def _province_words(key: str) -> regex.Pattern:
    """ "toàn tỉnh có 65 xã" (`whole_province_words`): the whole (article's) province, not the body the previous
    sentence named; "tỉnh ta" (`own_province_words`): the paper's own province."""
    return regex.compile(rf"{_LEFT}(?:{_alternation(table('places')[key])}){_RIGHT}")


def _era(text: str, end: int) -> str | None:
    extra = table("places")
    after = text[end:end + 8].lstrip()
    if any(after.startswith(mark) for mark in extra["new_unit_marks"]):
        return "2025"
    if any(after.startswith(mark) for mark in extra["old_unit_marks"]):
        return "old"
    return None


def _after_local_word(text: str, start: int) -> bool:
    """ "huyện Hòa Bình" is a district of Bạc Liêu, "Huyện ủy Hòa Bình" its committee, not the province: local
    names are the local matcher's."""
    before = text[max(0, start - 40):start].rstrip().lower()
    return before.endswith(_local_words())


@cache
def _local_words() -> tuple[str, ...]:
    """District and ward words that never name a province ("thành phố" and "TP." do)."""
    extra = table("places")
    province_words = {w.lower() for w in extra["unit_words"]}
    return tuple({w.lower() for w in extra["district_words"] + extra["ward_words"]} - province_words)


def _looks_like_person(text: str, start: int) -> bool:
    """A name after a kinship or address word, or after a surname, is a person: "chị Hà Giang", "Trần Thái Bình"."""
    extra = table("places")
    words = text[max(0, start - 40):start].split()
    if not words:
        return False
    if words[-1] in extra["person_words"] or " ".join(words[-2:]) in extra["person_words"]:
        return True
    run = []
    for word in reversed(words[-2:]):
        if not word[:1].isupper() or not word.isalpha():
            break
        run.append(word)
    return any(word in extra["surnames"] for word in run)


def article_province(article: Article, places: list[PlaceMention], outlet_province: str | None = None) -> str | None:
    """The article's main old province: the text's places vote, the paper adds one vote and breaks ties.

    `outlet_province` is the province of the paper (from the byline or the
    outlet, which the corpus side knows); without it the outlet's name, the
    source line and the URL are read for a place or a government domain. No
    place and no paper: None, never a guess.
    """
    votes: Counter[str] = Counter()
    title = _span_of(article.text, article.title)
    for chain in _address_chains(article.text, places):
        in_title = title is not None and title[0] <= chain[0].start < title[1]
        votes[chain[0].province] += max(WEIGHTS[p.kind] for p in chain) * (TITLE_FACTOR if in_title else 1)
    paper = outlet_province or _paper_province(article)
    if paper:
        votes[paper] += OUTLET_WEIGHT
    if not votes:
        return None
    best = max(votes.values())
    leaders = [name for name, score in votes.items() if score == best]
    if len(leaders) == 1:
        return leaders[0]
    return paper if paper in leaders else None


def _joined(text: str, left: PlaceMention, right: PlaceMention, separators: str = "list_separators") -> bool:
    """Two places written one after the other in a list ("A, B và C") or an address ("xã A, huyện B, tỉnh C")."""
    between = text[left.end:right.start].strip()
    return left.end <= right.start and between in table("places")[separators]


def _address_chains(text: str, places: list[PlaceMention]) -> list[list[PlaceMention]]:
    """Places in order, an address of one province ("tại xã A, huyện B, tỉnh C": each part larger than the one
    before) kept together: it names one place, and votes once (as its strongest part) rather than once a part."""
    chains: list[list[PlaceMention]] = []
    for place in places:
        last = chains[-1][-1] if chains else None
        if (last and last.province == place.province and ADDRESS_RANK[last.kind] < ADDRESS_RANK[place.kind]
                and _joined(text, last, place, "address_separators")):
            chains[-1].append(place)
        else:
            chains.append([place])
    return chains


def _venues(text: str, places: list[PlaceMention]) -> list[PlaceMention]:
    """The parts of full addresses written after "tại" ("… dâng hương tại xã A, huyện B, tỉnh C"): where an
    event was held; in another province than the article's, not whose figures they are."""
    venue = _province_words("venue_words")
    return [place for chain in _address_chains(text, places) if len(chain) > 1
            and venue.search(text[max(0, chain[0].start - VENUE_REACH):chain[0].start]) for place in chain]


def _listed(text: str, places: list[PlaceMention]) -> set[tuple[int, int]]:
    """Spans of places listed next to a place of another province ("các điểm cầu A, B, C"): a list names no one
    province, so its last name is not carried into the next sentence."""
    listed = set()
    for left, right in zip(places, places[1:]):
        if left.province != right.province and _joined(text, left, right):
            listed.update({(left.start, left.end), (right.start, right.end)})
    return listed


def _span_of(text: str, part: str | None) -> tuple[int, int] | None:
    at = text.find(part) if part else -1
    return (at, at + len(part)) if part and at >= 0 else None


def _paper_province(article: Article) -> str | None:
    """The province of the outlet's name, else of a government domain in the source line or URL, else of a
    provincial site's address, else of an unknown paper's byline."""
    named = [p.province for p in find_places(article.outlet or "") if p.era != "2025"]
    if named:
        return named[0]
    for field in (article.source_line, article.url):
        for domain in _DOMAIN.findall(field or ""):
            if province := province_from_domain(domain):
                return province
    for field in (article.source_line, article.url):
        for domain in _SITE.findall(field or ""):
            if province := province_from_site(domain):
                return province
    return province_from_byline(article.byline) if article.byline and not article.outlet else None


class ProvinceResolver:
    """Places of one article, found once; answers the province of each figure.

    `ignore` holds spans (page furniture) whose places do not count.
    """

    def __init__(self, article: Article, *, ignore: Sequence[tuple[int, int]] = (),
                 outlet_province: str | None = None) -> None:
        self.published = article.published
        self.text = article.text
        after_2025 = bool(article.published and article.published >= REFORM_2025)
        ignored = Covered(ignore)
        found = [p for p in find_places(article.text, after_2025=after_2025) if not ignored(p.start)]
        self.places = [self._dated(p, article.published) for p in found]
        self._starts = [p.start for p in self.places]  # ordered: find_places returns places left to right
        self.listed = _listed(article.text, self.places)
        self.paper_province = outlet_province or _paper_province(article)
        self.article_province = article_province(article, self.places, self.paper_province)
        self.away = {(p.start, p.end) for p in _venues(article.text, self.places)
                     if self.article_province and p.province != self.article_province}
        self.article_province_2025 = province_2025(self.article_province) if self.article_province else None
        self._scopes: dict[str, list[PlaceMention]] = {}

    def _places_of(self, scope: str) -> list[PlaceMention]:
        """The places a body's name holds, found once per article: its figures all carry the same name."""
        if scope not in self._scopes:
            self._scopes[scope] = [self._dated(p, self.published) for p in find_places(scope)]
        return self._scopes[scope]

    def _within(self, start: int, end: int) -> list[PlaceMention]:
        """The places inside text[start:end], found by bisection: a long article has a place in every line."""
        candidates = self.places[bisect_left(self._starts, start):bisect_right(self._starts, end)]
        return [p for p in candidates if p.end <= end]

    @staticmethod
    def _dated(place: PlaceMention, published: date | None) -> PlaceMention:
        """After the 2025 reform an unmarked name of a merged unit means the new unit."""
        gaz = _gazetteer()
        if (place.era is None and published and published >= REFORM_2025 and place.kind in ("unit", "province")
                and place.province in gaz.merged_2025):
            return replace(place, era="2025")
        return place

    def _national(self, sentence_start: int, figure_start: int, before: list[PlaceMention]) -> bool:
        """ "Cả nước có 5,3 triệu đảng viên": the whole country's figure belongs to no province (a congress's name,
        "Đại hội đại biểu toàn quốc", is not the country's figure)."""
        names = [m.span() for m in _province_words("not_national").finditer(self.text, sentence_start, figure_start)]
        for match in _province_words("national_words").finditer(self.text, sentence_start, figure_start):
            if not any(s <= match.start() < e for s, e in names) and not any(p.start >= match.start() for p in before):
                return True
        return False

    def province_for(self, sentence_start: int, sentence_end: int, figure_start: int,
                     scope: str | None = None) -> str | None:
        """The place of the figure's scope, else the nearest place of its sentence (before it first), else the
        last place earlier in its paragraph ("Báo cáo của tỉnh A cho biết … . Từ năm 2018, các cấp … trong tỉnh
        thành lập 96 …"), else the article's. A scope carried from an earlier sentence yields to a place written
        before the figure in its own sentence ("… khu vực tỉnh Bình Thuận (cũ) kết nạp 74 …"); "toàn tỉnh" with no
        place after it is the article's province, whatever body an earlier sentence named; "tỉnh ta" is the paper's; "cả nước" none.

        A place that names a post-2025 unit gives the old province of the same name (see the module).
        """
        inside = [p for p in self._within(sentence_start, sentence_end)
                  if p.kind in FIGURE_KINDS and (p.start, p.end) not in self.away]
        before = [p for p in inside if p.end <= figure_start]
        written = self.text.rfind(scope, sentence_start, figure_start) if scope else -1
        if self._national(sentence_start, figure_start, before):
            return None
        own = _province_words("own_province_words").search(self.text, sentence_start, figure_start)
        if own and not any(p.start >= own.start() for p in before):
            return self.paper_province or self.article_province
        whole = _province_words("whole_province_words").search(self.text, sentence_start, figure_start)
        if whole and written < 0 and not any(p.start >= whole.start() for p in before):
            return self.article_province
        chosen = None
        if scope:
            in_scope = self._places_of(scope)
            carried = written < 0 or (before and before[-1].start >= written + len(scope))
            chosen = before[-1] if before and carried else (in_scope[-1] if in_scope else None)
        if chosen is None:
            after = [p for p in inside if p.start >= figure_start]
            paragraph = self.text.rfind("\n", 0, sentence_start) + 1
            earlier = [p for p in self._within(paragraph, sentence_start)
                       if p.kind in FIGURE_KINDS and (p.start, p.end) not in self.listed]
            chosen = before[-1] if before else (after[0] if after else (earlier[-1] if earlier else None))
        return chosen.province if chosen else self.article_province
