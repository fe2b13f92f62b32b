// Package themes is heard's comment model: it learns which themes of a
// framework a free-text comment touches, and whether it is positive, mixed
// or negative, from comments people have labelled, and applies what it
// learnt to new comments.
//
// The model is linear, over word 1-2 grams and character 2-5 grams inside
// words, weighted by TF-IDF: one-vs-rest classifiers per theme, each with
// its own decision threshold chosen by cross-validation on the training
// comments (split by respondent), so that rare themes are neither ignored
// nor over-assigned; and one classifier per sentiment. Nothing is tuned to
// one framework: a council's own labelled comments in another framework are
// trained the same way. Training is deterministic: the same comments and
// seed give byte-identical models.
//
// BuiltIn is the model for the NHS England patient-experience framework
// (version 6), trained from the labelled comments shipped with heard
// (NHSExamples). The package uses the standard library only.
package themes
