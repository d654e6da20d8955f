// Package validate holds the provider's attribute validators: the checks a
// configuration value gets at plan time, with an error on the attribute,
// before any request. Each says in its description what it accepts, which
// the generated docs show.
package validate
