//go:build !linux

package importers

// LowerPriority does nothing where threads have no priority of their own
// that heard can set; see the Linux version.
func LowerPriority() {}
