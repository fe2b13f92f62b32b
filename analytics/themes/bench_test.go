package themes

import "testing"

// BenchmarkTrain trains on the 80% training side of the NHS comments
// (about 4,700), cross-validation included.
func BenchmarkTrain(b *testing.B) {
	train, _ := smallSet(b, 1<<30)
	for b.Loop() {
		if _, err := Train(train, Options{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClassify classifies the held-out NHS comments one at a time.
func BenchmarkClassify(b *testing.B) {
	train, test := smallSet(b, 1<<30)
	m, err := Train(train, Options{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	n := 0
	for b.Loop() {
		m.Classify(test[n%len(test)].Text)
		n++
	}
}
