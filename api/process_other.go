//go:build !unix

package api

// processAlive reports every process as running where heard cannot check,
// so that a start never removes what another heard is receiving; the
// folders of dead processes then stay until removed by hand.
func processAlive(int) bool { return true }
