"""Provides the jazz tab's help (F1): the grammar of musical values, the model, the keys."""

from __future__ import annotations

HELP = r"""
# Jazz — an LSTM improvises over chords

The model does not see notes but **musical values** (deepjazz's grammar, as in the course):
each note or rest of a melody becomes `KIND,DURATION,<UPPER,LOWER>`, e.g. `C,0.250,<m2,P-4>`.

| kind | the note, over the chord sounding at its start |
| --- | --- |
| C | a chord tone |
| S | a tone of the chord's scale (maj7: Ionian, m7: Dorian, 7: Mixolydian …) |
| A | an approach tone: a semitone from a chord tone |
| X | anything else |
| R | a rest |

DURATION is in quarter notes; `<UPPER,LOWER>` is the interval from the previous note ± a minor
third (m2 = +1 semitone, P-4 = −5). To play values, each is turned back into the pitch of its
kind, within its bounds, nearest where the interval points — over *any* chords.

## The model (the course's)
    x⟨t⟩ one-hot value,  a⟨t⟩, c⟨t⟩ = LSTM_cell(x⟨t⟩, a⟨t−1⟩, c⟨t−1⟩)      n_a = 64
    ŷ⟨t⟩ = softmax(Wy a⟨t⟩ + by)          the probability of each value next
Training: 60 random windows of Tx = 30 values, the target at t is the value at t + 1;
cross-entropy, Adam (lr 0.01). Preset **course** unrolls the cell 30 times (djmodel, 100
epochs); **fast** runs the same model with Keras' loop for 25 epochs (it copies less).
A trained model replaces the one in use if it learned other music, or the same music to a
loss as low; otherwise you are asked. While training, *loss* is the last batch's; at the end,
*all_windows_loss* is the final weights' loss on every window: the model's figure.

## Improvising
From a⟨0⟩ = c⟨0⟩ = 0 and x⟨0⟩ = 0, each value is drawn from softmax(z / T) and fed back.
T = 0 is greedy (the course's argmax), T = 1 the model's own odds; top-k keeps the k likeliest.
At T = 0 the *values* are the same for every seed, but the notes still vary with it: a value
names a kind of note (a chord tone, a scale tone…), and which pitch of that kind is drawn.
With the seed field empty, g draws a new seed; , . - + and enter in a field keep it, so one
solo can be heard at several temperatures or lengths.
Typed *chords*: one a bar (`Dm7 G7 Cmaj7 A7`) or bars split by `|` (`Dm7 G7 | Cmaj7`); `%`
repeats the chord before; **N.C.** (no chord) stops the band while the solo plays on, its notes
chosen as over the chord before it, as a soloist plays through a break. Over an extended chord
(C13, Cmaj9) a scale tone is a 9th or 13th, not always the avoid note (the 11th, F over C13).
The piano roll's rows are spelt in the solo's key; `seqtui jazz generate` names each note as
its chord spells it (C#6 over A7, even in A♭), any other note in the key.
The statistics compare the solo with the training music: the share of chord, scale and approach
tones, the range, notes per bar, and the **longest run of values copied** from the training
music (long runs mean the model is replaying what it learned).

## Music
Empty *file*: the ragtime in music21's corpus (Maple Leaf Rag, Alexander's Ragtime Band). Type a
MIDI or MusicXML path and press enter: its tracks are listed in the Music view; enter on a track
makes it the melody, c takes the chords from it (else: chord symbols, the other tracks, or the
melody itself). Then train (t). Keras loads when the first training starts (a few seconds);
improvising needs only numpy.

## Keys
| key | does |
| --- | --- |
| g | improvise a new solo (a new seed unless the seed field has one) |
| space | play / stop (a moving playhead) |
| , / . | temperature down / up: the same solo (same seed) at the new temperature |
| - / + | fewer / more bars (same seed) |
| m / w | export MIDI / WAV |
| ctrl+n or v | next view: Solo, Music, Train |
| ctrl+g | Solo: improvise · Music: read the file · Train: train |
| f | type a MIDI / MusicXML file to learn from (enter lists its tracks) |
| enter / c / a | Music view: melody track / chord track / automatic choice |
| ← / → | scroll the piano roll by a bar |
| t / p / s | train / pause–resume / stop |
| escape | leave a field (then the keys above, 1…6 and q work) |
"""

