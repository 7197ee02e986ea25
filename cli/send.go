package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"danvan/internal/i18n"
	"danvan/store"
	"danvan/store/vn"
	dsync "danvan/sync"
	"danvan/sync/exchange"
)

func init() {
	Register(Command{Group: "batch", Sub: "send", HelpKey: "cli.cmd.batch_send", Store: true, Run: runBatchSend})
}

// runBatchSend is `danvan batch send`: the outbox goes to the collecting
// office over the network; what does not get through waits for next time.
func runBatchSend(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("batch send")
	to := fs.String("to", "", "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := NoArgs(pos); err != nil {
		return err
	}
	opt := exchange.SendOptions{Progress: func(p exchange.SendProgress) { sendLine(e, p) }}
	dests, err := st.Destinations(ctx)
	if err != nil {
		return err
	}
	switch {
	case strings.Contains(*to, "://"): // an address, for the primary destination
		opt.URL = *to
		if len(dests) > 0 {
			opt.To = dests[0].Office.ID
		}
	case *to != "":
		d, err := st.Destination(ctx, *to)
		if err != nil {
			return usage("batch.no_destination", i18n.Args{"Code": vn.Printable(*to), "Codes": destinationCodes(dests)})
		}
		opt.To = d.Office.ID
	}
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	results, err := exchange.SendEach(ctx, st, actor, e.DataDir, opt)
	if err != nil {
		return err
	}
	var worst error
	for _, res := range results {
		if len(dests) > 1 {
			e.Printf("send.to", i18n.Args{"Dest": res.Dest.Office.Code, "Name": res.Dest.Office.Name})
		}
		if res.NoAddress {
			e.Printf("send.no_address_dest", i18n.Args{"Count": len(res.Pending)})
		} else if len(res.Sent) > 0 {
			e.Printf("send.summary", i18n.Args{"Count": len(res.Sent)})
		} else if res.Err == nil {
			e.Printf("send.nothing")
		}
		if res.Settings != "" {
			e.Printf("send.new_settings", i18n.Args{"Code": res.SettingsDoc.From.Code, "Version": res.SettingsDoc.Version, "Path": res.Settings})
		}
		if sent, serr := st.SentBatchesTo(ctx, res.Dest.Office.ID); serr == nil {
			fmt.Fprintln(e.Stdout, i18n.AckLine(dsync.Summarize(sent).Parts()))
		}
		if res.Err != nil {
			if len(results) > 1 {
				fmt.Fprintln(e.Stderr, i18n.Err(res.Err))
			}
			worst = sendExit(e, res.Err, worst)
		}
	}
	return worst
}

// sendExit turns why a send stopped into the command's exit (CLI.md): a
// wrong address is wrong usage, a refused batch a failed verification, the
// network anything else. Of several, the first usage error wins, then the
// first failed verification, then the first other.
func sendExit(e *Env, err, before error) error {
	var out error = err
	var se *exchange.SendError
	if errors.As(err, &se) {
		switch se.Code {
		case "no_address", "bad_address", "plain_http":
			code, args := se.MessageCode()
			out = usage("err."+code, args)
		case "refused", "pin", "bad_answer":
			fmt.Fprintln(e.Stderr, i18n.Err(err))
			out = &RuleError{Count: 1}
		}
	}
	if before == nil {
		return out
	}
	var u1, u2 *UsageError
	var r1 *RuleError
	switch {
	case errors.As(before, &u1):
		return before
	case errors.As(out, &u2):
		return out
	case errors.As(before, &r1):
		return before
	}
	return out
}

func sendLine(e *Env, p exchange.SendProgress) {
	key, a := p.Line()
	switch key {
	case "":
	case "send.wait":
		a["Reason"] = i18n.Err(p.Err)
		e.Warnf(key, a)
	case "send.try":
		e.Warnf(key, a)
	default:
		e.Printf(key, a)
	}
}
