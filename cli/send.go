package cli

import (
	"context"
	"errors"
	"fmt"

	"danvan/internal/i18n"
	"danvan/store"
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
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	res, err := exchange.Send(ctx, st, actor, e.DataDir, exchange.SendOptions{URL: *to, Progress: func(p exchange.SendProgress) { sendLine(e, p) }})
	if len(res.Sent) > 0 {
		e.Printf("send.summary", i18n.Args{"Count": len(res.Sent)})
	} else if err == nil {
		e.Printf("send.nothing")
	}
	sent, serr := st.SentBatches(ctx)
	if serr == nil {
		fmt.Fprintln(e.Stdout, i18n.AckLine(dsync.Summarize(sent).Parts()))
	}
	// Exit codes (CLI.md): a wrong address is wrong usage, a refused batch
	// a failed verification, the network anything else.
	var se *exchange.SendError
	if errors.As(err, &se) {
		switch se.Code {
		case "no_address", "bad_address", "plain_http":
			code, args := se.MessageCode()
			return usage("err."+code, args)
		case "refused", "pin", "bad_answer":
			fmt.Fprintln(e.Stderr, i18n.Err(err))
			return &RuleError{Count: 1}
		}
	}
	return err
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
