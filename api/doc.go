// Package api is heard's outer layer: the command line and the HTTP
// service. It wires the store, the importers and the dashboards together;
// nothing else in heard imports it.
package api
