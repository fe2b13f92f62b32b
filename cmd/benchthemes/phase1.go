package main

import (
	"errors"

	"github.com/heard-council/heard/analytics/themes"
)

func readPhase1(path string) ([]themes.Example, error) {
	return nil, errors.New("not yet")
}
