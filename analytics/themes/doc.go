// Package themes is heard's comment model: it learns which themes of a
// framework a free-text comment touches, and whether it is positive, mixed
// or negative, from comments people have labelled, and applies what it
// learnt to new comments.
//
// The model is linear, over word 1-2 grams and character 2-5 grams inside
// words, weighted by TF-IDF: one support vector machine per theme, on
// features scaled by the theme's naive Bayes log-count ratios (NBSVM),
// and one per sentiment. Cross-validation on the training comments, split
// by respondent, calibrates each theme's scores into probabilities and
// chooses the one probability cut-off at which themes are given, so that
// rare themes are neither ignored nor over-assigned and nothing is tuned
// to one framework: a council's own labelled comments in another framework
// are trained the same way. A comment that says nothing (SaysNothing) gets
// no theme. Training is deterministic: the same comments and seed give
// byte-identical models. docs/benchmarks.md ("Comment themes") has the
// measurements behind each choice.
//
// BuiltIn is the model for the NHS England patient-experience framework
// (version 6), trained from the labelled comments shipped with heard
// (NHSExamples, data/NOTICE.md). The package uses the standard library
// only.
package themes
