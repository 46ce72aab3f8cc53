"""The playbook facts (`term.*`) a contract's rules test, each with its evidence.

A registry of small detectors, spaCy-style: `@fact("mfn")` registers a function that reads a
`_Doc` (the text, the pipeline's `Analysis` and lookups over both) and returns a `Fact`.
`compute_facts` runs them all. Three kinds of detector:

- pass-through of extracted terms (`payment_net_days`, `governing_law`, ...);
- CUAD-backed flags: the clause classifier's calibrated sentence score for the matching CUAD
  category, confirmed by a lexical cue in that same sentence (the score alone over-fires on
  neighbouring clauses; the cue alone fires on definitions and negations);
- finer facts read with regular expressions from the sentences of the relevant clause: who may
  terminate, whether an indemnity is mutual, whether credits are the exclusive remedy, ...

"Vendor" is us (the company running Clausewise), "customer" the counterparty; party words
and the parties' defined names are mapped to a side with the role words of the preamble.
Booleans are False without evidence when the clause is absent; facts about a clause's shape
(`*_mutual`, `sla_credits_exclusive_remedy`) are None when there is no such clause, since a
rule on them must not fire on a contract that lacks it.

Layout: `base` (the registry, the document view, building blocks), one module per family of
detectors (`commercial`, `covenants`, `obligations`, `rights`), and `cuad_table` (the CUAD
categories' cues and thresholds, which use the families' cues). Importing the package
registers every detector, in that order.
"""

from review.facts import commercial, covenants, cuad_table, obligations, rights  # noqa: F401  (registers)
from review.facts.base import FACTS, compute_facts, fact

__all__ = ["FACTS", "compute_facts", "fact"]
