//go:build !race

package themes

// raceDetector is whether the tests run under the race detector, which
// makes training on all the NHS comments take minutes.
const raceDetector = false
