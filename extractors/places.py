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
- a district or ward with its unit word, when the name is unique in the
  country: "thành phố Việt Trì", "KCN Thụy Vân" ("huyện Châu Thành" names
  several provinces and is ignored; bare district names are never used: they
  are also street and person names);
- a nickname: "xứ Thanh", "đất Cảng".

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
OUTLET_WEIGHT = 2
TITLE_FACTOR = 2

_SYLLABLE = r"\p{Lu}[\p{Ll}\p{M}]*"
_LEFT = r"(?<![\p{L}\p{N}])"
_RIGHT = r"(?![\p{L}\p{N}])"
_DOMAIN = regex.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.gov\.vn", regex.IGNORECASE)


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
        rf"{_LEFT}(?P<unit>{_alternation(local_words)})\s+(?P<name>{_SYLLABLE}(?:[ -]{_SYLLABLE}){{0,3}})"
    )
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
def _whole_province() -> regex.Pattern:
    """ "toàn tỉnh có 65 xã": the whole (article's) province, not the body the previous sentence named."""
    return regex.compile(rf"{_LEFT}(?:{_alternation(table('places')['whole_province_words'])}){_RIGHT}")


def _era(text: str, end: int) -> str | None:
    extra = table("places")
    after = text[end:end + 8].lstrip()
    if any(after.startswith(mark) for mark in extra["new_unit_marks"]):
        return "2025"
    if any(after.startswith(mark) for mark in extra["old_unit_marks"]):
        return "old"
    return None


def _after_local_word(text: str, start: int) -> bool:
    """ "huyện Hòa Bình" is a district of Bạc Liêu, not the province: local names are the local matcher's."""
    before = text[max(0, start - 12):start].rstrip().lower()
    return before.endswith(("huyện", "quận", "xã", "phường", "thị trấn"))


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
    for place in places:
        in_title = title is not None and title[0] <= place.start < title[1]
        votes[place.province] += WEIGHTS[place.kind] * (TITLE_FACTOR if in_title else 1)
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


def _span_of(text: str, part: str | None) -> tuple[int, int] | None:
    at = text.find(part) if part else -1
    return (at, at + len(part)) if part and at >= 0 else None


def _paper_province(article: Article) -> str | None:
    """The province of the outlet's name, else of a government domain in the source line or URL."""
    named = [p.province for p in find_places(article.outlet or "") if p.era != "2025"]
    if named:
        return named[0]
    for field in (article.source_line, article.url):
        for domain in _DOMAIN.findall(field or ""):
            if province := province_from_domain(domain):
                return province
    return None


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
        self.article_province = article_province(article, self.places, outlet_province)
        self.article_province_2025 = province_2025(self.article_province) if self.article_province else None

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

    def province_for(self, sentence_start: int, sentence_end: int, figure_start: int,
                     scope: str | None = None) -> str | None:
        """The place of the figure's scope, else the nearest place of its sentence (before it first), else the
        last place earlier in its paragraph ("Báo cáo của tỉnh A cho biết … . Từ năm 2018, các cấp … trong tỉnh
        thành lập 96 …"), else the article's. A scope carried from an earlier sentence yields to a place written
        before the figure in its own sentence ("… khu vực tỉnh Bình Thuận (cũ) kết nạp 74 …"); "toàn tỉnh" with no
        place after it is the article's province, whatever body an earlier sentence named.

        A place that names a post-2025 unit gives the old province of the same name (see the module).
        """
        inside = [p for p in self._within(sentence_start, sentence_end) if p.kind in FIGURE_KINDS]
        before = [p for p in inside if p.end <= figure_start]
        written = self.text.rfind(scope, sentence_start, figure_start) if scope else -1
        whole = _whole_province().search(self.text, sentence_start, figure_start)
        if whole and written < 0 and not any(p.start >= whole.start() for p in before):
            return self.article_province
        chosen = None
        if scope:
            in_scope = [self._dated(p, self.published) for p in find_places(scope)]
            carried = written < 0 or (before and before[-1].start >= written + len(scope))
            chosen = before[-1] if before and carried else (in_scope[-1] if in_scope else None)
        if chosen is None:
            after = [p for p in inside if p.start >= figure_start]
            paragraph = self.text.rfind("\n", 0, sentence_start) + 1
            earlier = [p for p in self._within(paragraph, sentence_start) if p.kind in FIGURE_KINDS]
            chosen = before[-1] if before else (after[0] if after else (earlier[-1] if earlier else None))
        return chosen.province if chosen else self.article_province
