//go:build !race

package themes

import (
	"bytes"
	"testing"
)

// TestBuiltInIsTrainedFromTheShippedFile trains the built-in model again
// from the shipped NHS file and checks that the encoding the binary embeds
// is exactly that model: the built-in model is reproducible, and a change
// to training that is not followed by `go generate ./analytics/themes`
// fails here. (Without the race detector: under it training takes
// minutes.)
func TestBuiltInIsTrainedFromTheShippedFile(t *testing.T) {
	if testing.Short() {
		t.Skip("training the built-in model takes seconds; skipped with -short")
	}
	m, err := TrainBuiltIn()
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, BuiltInBytes()) {
		t.Fatalf("the embedded built-in model (%d bytes) is not the model trained from the shipped file (%d bytes): run go generate ./analytics/themes", len(BuiltInBytes()), len(b))
	}
	embedded, err := BuiltIn()
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"The staff were kind and listened to me", "I waited three hours for an appointment", "Parking was impossible"} {
		got, want := embedded.Classify(text), m.Classify(text)
		if len(got.Themes) == 0 || len(got.Themes) != len(want.Themes) || got.Sentiment != want.Sentiment {
			t.Errorf("%q: embedded model gives %v %s, trained model %v %s", text, got.Themes, got.Sentiment, want.Themes, want.Sentiment)
		}
		for i := range got.Themes {
			if got.Themes[i] != want.Themes[i] {
				t.Errorf("%q: embedded model gives %v, trained model %v", text, got.Themes, want.Themes)
				break
			}
		}
	}
}
