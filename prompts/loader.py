"""Versioned prompt templates, kept as YAML files in `prompts/templates/<id>.v<version>.yaml`.

Templates use `{{name}}` placeholders, filled in one pass: a value that itself contains
`{{...}}` (clause text does) is never expanded again. Every value is data from a rep, a contract
or the library, so any delimiter tag the template declares in `data_tags` is neutralised inside
it: a question containing `</question>` cannot close its block and smuggle in instructions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Role = Literal["system", "user"]

_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_FILE = re.compile(r"^(?P<id>[a-z][a-z0-9_]*)\.v(?P<version>[1-9][0-9]*)\.yaml$")


class PromptError(ValueError):
    """A template is missing, malformed, or filled with the wrong variables."""


class DataBlock(str):
    """Text already built from `Prompt.block` (its tags are meant); not neutralised again."""

    __slots__ = ()


def neutralise(text: str, tags: Sequence[str]) -> str:
    """Defuse `<tag>`, `</tag>` (any case, spacing, attributes, even unterminated) for `tags`.

    The `<` becomes `‹` so a reader still sees what the user wrote, but the model cannot
    mistake it for one of the prompt's own delimiters.
    """
    if not tags:
        return text
    names = "|".join(re.escape(t) for t in sorted(tags, key=len, reverse=True))
    pattern = re.compile(rf"<(?=\s*/?\s*(?:{names})(?![a-z0-9_-]))", re.IGNORECASE)
    return pattern.sub("‹", text)


class Prompt(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    version: int = Field(ge=1)
    description: str = ""
    data_tags: tuple[str, ...] = ()
    system: str
    user: str

    @field_validator("id")
    @classmethod
    def _id_is_a_name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError(f"prompt id {value!r} must be lowercase letters, digits and _")
        return value

    @model_validator(mode="after")
    def _placeholders_are_names(self) -> Prompt:
        # A typo such as `{{ Question }}` would otherwise reach the model unfilled.
        for part in (self.system, self.user):
            for raw in re.findall(r"\{\{(.*?)\}\}", part):
                if not _PLACEHOLDER.fullmatch("{{" + raw + "}}"):
                    raise ValueError(f"bad placeholder {{{{{raw}}}}} in prompt {self.id}")
        return self

    @property
    def ref(self) -> str:
        """`<id>.v<version>`, recorded with each answer so it can be traced to its prompt."""
        return f"{self.id}.v{self.version}"

    @property
    def variables(self) -> frozenset[str]:
        return frozenset(_PLACEHOLDER.findall(self.system) + _PLACEHOLDER.findall(self.user))

    def escape(self, text: str) -> str:
        return neutralise(text, self.data_tags)

    def block(self, tag: str, content: str) -> DataBlock:
        """`<tag>content</tag>` with `content` neutralised, for values made of several blocks."""
        if tag not in self.data_tags:
            raise PromptError(f"{tag!r} is not a data tag of prompt {self.ref}")
        return DataBlock(f"<{tag}>\n{self.escape(content)}\n</{tag}>")

    def render(self, **values: str | Sequence[DataBlock]) -> tuple[str, str]:
        """The filled (system, user) texts. Every placeholder must be given, and nothing else."""
        missing = self.variables - values.keys()
        extra = values.keys() - self.variables
        if missing or extra:
            raise PromptError(
                f"prompt {self.ref}: missing {sorted(missing)}, unexpected {sorted(extra)}"
            )
        filled = {name: self._value(v) for name, v in values.items()}

        def fill(template: str) -> str:
            return _PLACEHOLDER.sub(lambda m: filled[m.group(1)], template)

        return fill(self.system).strip(), fill(self.user).strip()

    def messages(self, **values: str | Sequence[DataBlock]) -> list[tuple[Role, str]]:
        """(role, content) pairs, which langchain chat models accept as they are."""
        system, user = self.render(**values)
        return [("system", system), ("user", user)]

    def _value(self, value: str | Sequence[DataBlock]) -> str:
        if isinstance(value, DataBlock):
            return str(value)
        if isinstance(value, str):
            return self.escape(value)
        if all(isinstance(v, DataBlock) for v in value):
            return "\n".join(value)
        raise PromptError("a list value must hold DataBlocks made with Prompt.block")


def _templates() -> resources.abc.Traversable:
    return resources.files("prompts") / "templates"


def available_prompts() -> dict[str, list[int]]:
    """Every template id with its versions, oldest first."""
    found: dict[str, list[int]] = {}
    for entry in _templates().iterdir():
        match = _FILE.match(entry.name)
        if match:
            found.setdefault(match["id"], []).append(int(match["version"]))
    return {name: sorted(versions) for name, versions in sorted(found.items())}


def load_prompt(name: str, version: int | None = None) -> Prompt:
    """The template `name` at `version`, or its newest version."""
    if not _NAME.match(name):
        raise PromptError(f"bad prompt name {name!r}")
    versions = available_prompts().get(name)
    if not versions:
        raise PromptError(f"no prompt named {name!r}")
    chosen = versions[-1] if version is None else version
    if chosen not in versions:
        raise PromptError(f"prompt {name!r} has no version {version} (has {versions})")
    return _load(name, chosen)


@lru_cache(maxsize=32)
def _load(name: str, chosen: int) -> Prompt:
    # Cached by the resolved version, so "newest" and "v1" share one parsed template.
    path = _templates() / f"{name}.v{chosen}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        prompt = Prompt.model_validate(data)
    except (yaml.YAMLError, ValueError) as exc:
        raise PromptError(f"{path.name}: {exc}") from exc
    if (prompt.id, prompt.version) != (name, chosen):
        raise PromptError(f"{path.name} declares {prompt.ref}; the file name must match")
    return prompt
