package websocket

import "time"

// Stats is what a diagnostic view shows of a connection: where it comes
// from, since when, how much went each way and how far its close got.
type Stats struct {
	Remote       string    `json:"remote"`               // the client's address ("" before the upgrade)
	Since        time.Time `json:"since,omitzero"`       // when the upgrade completed (zero before)
	In           int64     `json:"in"`                   // messages received and delivered to the script
	Out          int64     `json:"out"`                  // messages sent to the client (auto-responses included)
	AutoReplies  int64     `json:"autoReplies"`          // messages answered by the auto-response, without the script
	AutoReplyAt  time.Time `json:"autoReplyAt,omitzero"` // the last auto-response (zero if none)
	ClosedByPeer bool      `json:"closedByPeer"`         // the client's close frame (or a drop) was seen
	ClosedByUs   bool      `json:"closedByUs"`           // a close frame was queued
	Dropped      bool      `json:"dropped"`              // the TCP connection is gone
}

// Stats returns a snapshot of the connection's counters. Safe from any
// goroutine.
func (c *Conn) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{
		Remote: c.remote, Since: c.since, In: c.in, Out: c.out,
		AutoReplies: c.ans, AutoReplyAt: c.autoTime,
		ClosedByPeer: c.closedIn, ClosedByUs: c.closedOut, Dropped: c.dropped,
	}
}

// StandardConns lists the connections of owner's accept()ed sockets (loop
// goroutine only).
func (r *Registry) StandardConns(owner any) []*Conn {
	var out []*Conn
	for e := range r.standard {
		if e.owner == owner {
			out = append(out, e.conn)
		}
	}
	return out
}

// StandardOwners counts the accept()ed sockets of every owner that has
// some (loop goroutine only).
func (r *Registry) StandardOwners() map[any]int {
	out := map[any]int{}
	for e := range r.standard {
		out[e.owner]++
	}
	return out
}
