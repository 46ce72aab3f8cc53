"""`clausewise train`: rebuild the CUAD sentence classifier and the clause-type model."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ai_service.cli_paths import require_cuad_dir
from ai_service.config import Settings

if TYPE_CHECKING:
    from extraction.type_labels import LibraryTypes
    from extraction.type_training import Dataset


def train(
    cuad_dir: Annotated[Path | None, typer.Option(help="CUAD folder with labels.jsonl")] = None,
    out: Annotated[Path | None, typer.Option(help="Model file (default: the shipped one)")] = None,
    type_out: Annotated[
        Path | None, typer.Option(help="Clause-type model file (default: the shipped one)")
    ] = None,
    what: Annotated[
        str,
        typer.Option(
            help="all, sentences, types, presence (refit only the clause-type model's "
            "sentence reading of presence, from cached out-of-fold sentence scores) or pasted "
            "(refit only its pasted-text shift, from out-of-fold logits)"
        ),
    ] = "all",
    library_dir: Annotated[
        Path | None, typer.Option(help="Clause library folder", exists=True, file_okay=False)
    ] = None,
    cache_dir: Annotated[
        Path | None, typer.Option(help="Embedding cache (default ~/.cache/clausewise)")
    ] = None,
    embed_contracts: Annotated[
        bool,
        typer.Option(help="Embed contracts whose segment vectors are not cached (slow on CPU)"),
    ] = False,
    embed: Annotated[
        bool, typer.Option(help="Use MiniLM vectors at all (--no-embed: words and headings only)")
    ] = True,
    folds: Annotated[int, typer.Option(min=2, max=20, help="Folds for calibration")] = 5,
) -> None:
    """Rebuild the CUAD sentence classifier and the clause-type model (deterministic)."""
    folder = require_cuad_dir(cuad_dir)
    if what in ("all", "sentences"):
        from extraction.classify import DEFAULT_MODEL
        from extraction.cuad import train_classifier

        clf = train_classifier(folder)
        target = out or DEFAULT_MODEL
        clf.save(target)
        typer.echo(f"clause classifier with {len(clf.categories)} categories written to {target}")
    if what == "presence":
        from extraction.clause_types import DEFAULT_TYPE_MODEL, TypeModel
        from extraction.type_labels import load_library_types
        from extraction.type_training import train_sentence_presence
        from extraction.type_vectors import default_cache_dir

        settings = Settings()
        target = type_out or DEFAULT_TYPE_MODEL
        model = TypeModel.load(target)
        model.sentence = train_sentence_presence(
            folder,
            model.labels,
            load_library_types(
                library_dir
                or settings.library_dir
                or Path(__file__).parents[1] / "clause_index/library"
            ),
            folds,
            cache_dir or default_cache_dir(),
            progress=lambda k, n: typer.echo(f"sentence classifier fold {k}/{n}"),
        )
        model.save(target)
        typer.echo(f"sentence reading of presence fitted; clause-type model written to {target}")
    if what == "pasted":
        from extraction.clause_types import DEFAULT_TYPE_MODEL, TypeModel
        from extraction.type_training import train_pasted_shift
        from extraction.type_vectors import default_cache_dir

        target = type_out or DEFAULT_TYPE_MODEL
        model = TypeModel.load(target)
        cache = cache_dir or default_cache_dir()
        ds, _ = _type_dataset(folder, library_dir, cache, embed, embed_contracts)
        model.pasted_shift = train_pasted_shift(
            ds, folds, lambda k, n: typer.echo(f"fold {k}/{n} fitted"), cache
        )
        model.save(target)
        typer.echo(
            f"pasted-text shift {model.pasted_shift:.2f} fitted; clause-type model written to "
            f"{target}"
        )
    if what in ("all", "types"):
        from extraction.clause_types import DEFAULT_TYPE_MODEL
        from extraction.type_training import train_sentence_presence, train_type_model
        from extraction.type_vectors import default_cache_dir

        cache = cache_dir or default_cache_dir()
        ds, library = _type_dataset(folder, library_dir, cache, embed, embed_contracts)
        sentence = train_sentence_presence(
            folder,
            ds.labels,
            library,
            folds,
            cache,
            progress=lambda k, n: typer.echo(f"sentence classifier fold {k}/{n}"),
        )
        model, _ = train_type_model(
            ds,
            folds,
            progress=lambda k, n: typer.echo(f"fold {k}/{n} fitted"),
            cache_dir=cache,
            sentence=sentence,
        )
        target = type_out or DEFAULT_TYPE_MODEL
        model.save(target)
        with_vec = len({r.group for r in ds.rows if r.kind == "segment" and r.vector is not None})
        typer.echo(
            f"clause-type model ({len(model.labels)} labels, {len(ds.rows)} examples, "
            f"{with_vec} of {len(ds.contracts)} contracts with segment vectors) written to {target}"
        )


def _type_dataset(
    folder: Path,
    library_dir: Path | None,
    cache_dir: Path | None,
    embed: bool,
    embed_contracts: bool,
) -> tuple[Dataset, LibraryTypes]:
    """The clause-type model's training rows (`type_training.examples`) and the library."""
    from ai_service.app import shared_embedder
    from extraction.type_labels import load_library_types
    from extraction.type_training import examples

    settings = Settings()
    library = load_library_types(
        library_dir or settings.library_dir or Path(__file__).parents[1] / "clause_index/library"
    )
    ds = examples(
        folder,
        library,
        embedder=shared_embedder(settings) if embed else None,
        cache_dir=cache_dir,
        embed_contracts=embed_contracts,
        use_vectors=embed,
    )
    return ds, library
