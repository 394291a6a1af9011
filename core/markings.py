"""CUI markings: the categories and dissemination controls a record may carry, the banner
line the CUI registry's rules build from them, and the highest marking of several records.

Pure logic, no database: the columns that hold a marking are in core/marked.py, the
categories and controls themselves in core/choices.py. The rules
(32 CFR 2002.20, the DoD CUI Registry, DoDI 5200.48) as this registry applies them:

- A record with no category is uncontrolled; shown as UNCLASSIFIED, marked nowhere else.
- A banner starts `CUI`; categories follow after `//`, alphabetical by their short code,
  separated by `/`; a CUI Specified category carries `SP-` (`CUI//SP-EXPT/PRVCY`).
- Limited dissemination controls follow after another `//`, separated by `/`
  (`CUI//SP-EXPT//NOFORN`); `REL TO` lists USA first, then the others alphabetically.
- Several records together carry every category any of them carries, and every control:
  NOFORN wins over REL TO, REL TO lists are intersected (REL TO USA alone is NOFORN), and
  FED ONLY wins over FEDCON.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from core.choices import Category, Dissemination

UNCLASSIFIED = "UNCLASSIFIED"


# CUI Specified categories: the law, regulation or policy that makes them CUI also says how
# to handle them, so their banner marking carries SP-.
SPECIFIED = frozenset({Category.DCNI, Category.EXPT})


# The banner's order of controls.
_CONTROL_ORDER = {code: position for position, code in enumerate(Dissemination.values)}


@dataclass(frozen=True)
class Marking:
    """One record's marking, or the highest marking of several."""

    categories: frozenset[str] = frozenset()
    controls: frozenset[str] = frozenset()
    rel_to: frozenset[str] = frozenset()

    @classmethod
    def of(cls, categories=(), dissemination: str = "", rel_to=()) -> "Marking":
        """A marking from a record's columns (a category list, one control, ISO3 codes)."""
        controls = frozenset({dissemination}) if dissemination else frozenset()
        return cls(frozenset(categories or ()), controls, frozenset(rel_to or ()))

    @property
    def is_cui(self) -> bool:
        return bool(self.categories)

    @property
    def banner(self) -> str:
        """The banner line, e.g. `CUI//SP-EXPT/PRVCY//NOFORN`; UNCLASSIFIED when uncontrolled."""
        if not self.is_cui:
            return UNCLASSIFIED
        parts = ["CUI", "/".join(_category_marking(c) for c in sorted(self.categories))]
        controls = [self._control_marking(c) for c in sorted(self.controls, key=_CONTROL_ORDER.get)]
        if controls:
            parts.append("/".join(controls))
        return "//".join(parts)

    def _control_marking(self, control: str) -> str:
        if control != Dissemination.REL_TO:
            return control
        return "REL TO " + ", ".join(rel_to_order(self.rel_to))


def _category_marking(code: str) -> str:
    return f"SP-{code}" if code in SPECIFIED else code


def rel_to_order(codes: Iterable[str]) -> list[str]:
    """USA first, then the other countries alphabetically (the REL TO convention)."""
    others = sorted(set(codes) - {"USA"})
    return ["USA", *others]


def highest(markings: Iterable[Marking]) -> Marking:
    """The marking of several records shown or exported together (see the module rules)."""
    categories: set[str] = set()
    controls: set[str] = set()
    rel_to: set[str] | None = None
    for marking in markings:
        categories |= marking.categories
        controls |= marking.controls
        if Dissemination.REL_TO in marking.controls:
            rel_to = set(marking.rel_to) if rel_to is None else rel_to & marking.rel_to
    if Dissemination.REL_TO in controls and not (rel_to or set()) - {"USA"}:
        controls.add(Dissemination.NOFORN)  # released to no one but the United States
    if Dissemination.NOFORN in controls:
        controls.discard(Dissemination.REL_TO)
        rel_to = None
    if Dissemination.FED_ONLY in controls:
        controls.discard(Dissemination.FEDCON)
    return Marking(frozenset(categories), frozenset(controls), frozenset(rel_to or ()))


def marking_errors(categories, dissemination: str, rel_to, *, countries) -> dict:
    """Field-named problems with a record's marking columns; `countries` is the ISO3 set."""
    errors: dict[str, list[str]] = {}
    if len(set(categories or ())) != len(categories or ()):
        errors["marking_categories"] = ["A category is listed twice."]
    if dissemination and not categories:
        errors["marking_dissemination"] = [
            "Only CUI carries a dissemination control: choose a category first."
        ]
    if dissemination == Dissemination.REL_TO:
        unknown = sorted(code for code in rel_to or () if code not in countries)
        if unknown:
            errors["marking_rel_to"] = [f"Not ISO 3166-1 alpha-3 codes: {', '.join(unknown)}."]
        elif not set(rel_to or ()) - {"USA"}:
            errors["marking_rel_to"] = ["REL TO names at least one country besides the USA."]
    elif rel_to:
        errors["marking_rel_to"] = ["Countries are listed only with the REL TO control."]
    return errors
