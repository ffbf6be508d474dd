package models

import (
	"encoding/json"

	"github.com/tickstream/streaming/pkg/jsnum"
)

// FailSource is the error source a planned failure reports (the SDK's
// backend.ErrorSource): Grafana shows and counts plugin and downstream
// errors differently.
type FailSource string

const (
	// FailSourcePlugin reports a planned failure as the plugin's own error.
	FailSourcePlugin FailSource = "plugin"
	// FailSourceDownstream reports it as an error of what the data source
	// queries, which is what a failing database or API looks like.
	FailSourceDownstream FailSource = "downstream"
)

// Defaults and bounds of the faults fields (DEVELOPERS.md rules 30 to 34).
const (
	// DefaultFailPercent is the failPercent of a query that sets none: no
	// evaluation fails.
	DefaultFailPercent = 0
	// DefaultFailMessage is the failMessage of a query that sets none; ""
	// means Faults.Message's sentence naming Tickstream and failPercent.
	DefaultFailMessage = ""
	// DefaultFailSource is the failSource of a query that sets none: a
	// planned failure stands for a failing backend behind the data source,
	// not for a broken plugin, so Grafana does not count it against the
	// plugin.
	DefaultFailSource = FailSourceDownstream
	// DefaultQueryDelay and DefaultQueryDelayJitter are a query's delay
	// fields when it sets none: no delay.
	DefaultQueryDelay       = 0
	DefaultQueryDelayJitter = 0
	// MaxFailMessageLength bounds failMessage, in characters (code points).
	MaxFailMessageLength = 500
	// MaxQueryDelay bounds queryDelay and queryDelayJitter: one minute in ms.
	MaxQueryDelay = 60_000
)

// Faults are the fields that make a query's evaluations fail or answer
// late, for testing alert rules and dashboards. They do not change the
// stream, so they are not part of Query (the stream definition) nor of
// the channel path: queries that differ only here share one stream.
type Faults struct {
	// FailPercent is the share, in percent, of evaluation times at which
	// the query fails (signal.EvaluationFails).
	FailPercent float64 `json:"failPercent"`
	// FailMessage is the failure's error text; "" for the default sentence.
	FailMessage string `json:"failMessage"`
	// FailSource is the failure's error source.
	FailSource FailSource `json:"failSource"`
	// QueryDelay is how long, in ms, QueryData waits before answering.
	QueryDelay int64 `json:"queryDelay"`
	// QueryDelayJitter adds 0 to QueryDelayJitter ms more, decided per
	// evaluation time (signal.EvaluationDelay).
	QueryDelayJitter int64 `json:"queryDelayJitter"`
}

// DefaultFaults returns the faults of a query that sets none: no failures,
// no delay.
func DefaultFaults() Faults {
	return Faults{FailSource: DefaultFailSource}
}

// Fails reports whether f can fail an evaluation at all, so that a query
// without failures costs nothing per evaluation.
func (f Faults) Fails() bool { return f.FailPercent > 0 }

// Delays reports whether f delays an answer at all.
func (f Faults) Delays() bool { return f.QueryDelay > 0 || f.QueryDelayJitter > 0 }

// Message is the error text of a failed evaluation: FailMessage, or a
// sentence that tells whoever reads it in a panel or an alert that the
// failure is planned, and which field plans it.
func (f Faults) Message() string {
	if f.FailMessage != "" {
		return f.FailMessage
	}
	return "Tickstream failed this query on purpose: failPercent is " + jsnum.Format(f.FailPercent) +
		", so that share of evaluation times fails; set failPercent to 0 to stop"
}

// faultsInputs are the faults fields as received.
type faultsInputs struct {
	failPercent, queryDelay, queryDelayJitter input
	failMessage, failSource                   stringValue
}

// readFaults reads the faults fields of a query object.
func readFaults(fields map[string]json.RawMessage) faultsInputs {
	return faultsInputs{
		failPercent:      readField(fields, "failPercent", DefaultFailPercent),
		failMessage:      readStringField(fields, "failMessage", DefaultFailMessage),
		failSource:       readStringField(fields, "failSource", string(DefaultFailSource)),
		queryDelay:       readField(fields, "queryDelay", DefaultQueryDelay),
		queryDelayJitter: readField(fields, "queryDelayJitter", DefaultQueryDelayJitter),
	}
}

// defaultFaultsInputs are the inputs of a query that sets no faults field,
// such as a channel path, which never holds them.
func defaultFaultsInputs() faultsInputs {
	return readFaults(nil)
}

// validateFaults applies rules 30 to 34 of DEVELOPERS.md.
func validateFaults(in faultsInputs, add func(field string, kind Kind, message string)) Faults {
	f := DefaultFaults()
	// Rule 30.
	if !in.failPercent.isNumber || !(in.failPercent.number >= 0 && in.failPercent.number <= 100) {
		add("failPercent", KindInvalid, "failPercent must be a number from 0 to 100; got "+in.failPercent.got)
	} else {
		f.FailPercent = withoutNegativeZero(in.failPercent.number)
	}
	// Rule 31.
	if problem := textProblem("failMessage", in.failMessage, MaxFailMessageLength); problem != "" {
		add("failMessage", KindInvalid, problem)
	} else {
		f.FailMessage = in.failMessage.text
	}
	// Rule 32.
	switch source := FailSource(in.failSource.text); {
	case in.failSource.isString && (source == FailSourcePlugin || source == FailSourceDownstream):
		f.FailSource = source
	default:
		add("failSource", KindInvalid, "failSource must be one of plugin, downstream; got "+in.failSource.got)
	}
	// Rules 33 and 34.
	if !in.queryDelay.isWholeIn(0, MaxQueryDelay) {
		add("queryDelay", KindInvalid, "queryDelay must be a whole number of milliseconds from 0 to 60000 (1 minute); got "+in.queryDelay.got)
	} else {
		f.QueryDelay = int64(in.queryDelay.number)
	}
	if !in.queryDelayJitter.isWholeIn(0, MaxQueryDelay) {
		add("queryDelayJitter", KindInvalid, "queryDelayJitter must be a whole number of milliseconds from 0 to 60000 (1 minute); got "+in.queryDelayJitter.got)
	} else {
		f.QueryDelayJitter = int64(in.queryDelayJitter.number)
	}
	return f
}
