"""Versioned prompt templates for the drafting assistant's optional LLM path.

`load_prompt("answer")` returns the newest `answer.v<N>.yaml` in `prompts/templates/`;
`Prompt.messages(**values)` fills it, treating every value as data (see `prompts.loader`).
"""

from prompts.loader import (
    DataBlock,
    Prompt,
    PromptError,
    available_prompts,
    load_prompt,
    neutralise,
)

__all__ = ["DataBlock", "Prompt", "PromptError", "available_prompts", "load_prompt", "neutralise"]
