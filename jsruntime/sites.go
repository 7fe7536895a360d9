package jsruntime

import (
	"fmt"
	"reflect"
	"strconv"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/token"
)

// V8 words its TypeErrors with the source text of the expression that
// failed ("o.f is not a function", "Cannot set properties of null (setting
// 'x')"); goja's errors say less. The sites of a program are what the
// rewriting of goja's messages (v8errors.go) needs to know about the
// expression at an error's position: goja records the position of a
// property read at the property name, of a computed access at its '[', of
// a call at its '(', of `new` at the keyword, and of an iteration at the
// iterated expression.

type siteKind int

const (
	siteMember   siteKind = iota // a.b, a[b]
	siteCall                     // f(...)
	siteNew                      // new F(...)
	siteIterable                 // for (x of E), [...E]
)

// site is one expression of a program at a position.
type site struct {
	kind   siteKind
	text   string // the callee, the member's object, or the iterated expression, printed as V8 does
	prop   string // siteMember: the property as V8 prints it
	null   bool   // siteMember: the object is the literal null
	assign bool   // siteMember: the member is assigned to
}

// sites indexes the sites of a program by position ("file:line:col", as
// goja prints positions in stacks, after the source map).
type sites map[string][]site

// v8ErrorFunc is the global the rewritten catch clauses call.
const v8ErrorFunc = "__emu_v8error"

// prepareProgram indexes the sites of prg and rewrites each catch clause
// so that the caught value goes through v8ErrorFunc first: `catch (e) {`
// becomes `catch (e) { __emu_v8error(e);`, and a destructuring parameter
// is bound from it in the block.
func prepareProgram(prg *ast.Program) sites {
	idx := sites{}
	assigned := map[ast.Expression]bool{}
	pos := func(i file.Idx) string {
		p := prg.File.Position(int(i) - 1)
		return fmt.Sprintf("%s:%d:%d", p.Filename, p.Line, p.Column)
	}
	add := func(i file.Idx, s site) {
		k := pos(i)
		idx[k] = append(idx[k], s)
	}
	walk(reflect.ValueOf(prg), func(n any) {
		switch n := n.(type) {
		case *ast.AssignExpression:
			assigned[n.Left] = true
		case *ast.DotExpression:
			_, isNull := n.Left.(*ast.NullLiteral)
			add(n.Identifier.Idx, site{kind: siteMember, text: printExpr(n.Left), prop: string(n.Identifier.Name), null: isNull, assign: assigned[n]})
		case *ast.BracketExpression:
			_, isNull := n.Left.(*ast.NullLiteral)
			prop := printExpr(n.Member)
			if s, ok := n.Member.(*ast.StringLiteral); ok {
				prop = string(s.Value)
			}
			add(n.LeftBracket, site{kind: siteMember, text: printExpr(n.Left), prop: prop, null: isNull, assign: assigned[n]})
		case *ast.CallExpression:
			add(n.LeftParenthesis, site{kind: siteCall, text: printExpr(n.Callee)})
		case *ast.NewExpression:
			add(n.New, site{kind: siteNew, text: printExpr(n.Callee)})
		case *ast.ForOfStatement:
			add(n.Source.Idx0(), site{kind: siteIterable, text: printExpr(n.Source)})
		case *ast.SpreadElement:
			add(n.Expression.Idx0(), site{kind: siteIterable, text: printExpr(n.Expression)})
		case *ast.CatchStatement:
			rewriteCatch(n)
		}
	})
	return idx
}

// rewriteCatch makes a catch clause pass the caught value to v8ErrorFunc.
func rewriteCatch(c *ast.CatchStatement) {
	if c.Parameter == nil || c.Body == nil {
		return
	}
	at := c.Body.LeftBrace
	call := func(arg ast.Expression) ast.Expression {
		return &ast.CallExpression{Callee: &ast.Identifier{Name: v8ErrorFunc, Idx: at}, LeftParenthesis: at, ArgumentList: []ast.Expression{arg}, RightParenthesis: at}
	}
	var first ast.Statement
	switch p := c.Parameter.(type) {
	case *ast.Identifier:
		first = &ast.ExpressionStatement{Expression: call(&ast.Identifier{Name: p.Name, Idx: at})}
	default:
		tmp := &ast.Identifier{Name: "__emu_caught", Idx: at}
		first = &ast.LexicalDeclaration{Idx: at, Token: token.LET, List: []*ast.Binding{{Target: c.Parameter, Initializer: call(tmp)}}}
		c.Parameter = tmp
	}
	c.Body.List = append([]ast.Statement{first}, c.Body.List...)
}

var nodeType = reflect.TypeOf((*ast.Node)(nil)).Elem()

// walk calls visit on every AST node under v, parents before children.
func walk(v reflect.Value, visit func(any)) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		if v.Type().Implements(nodeType) {
			visit(v.Interface())
		}
		if v.Elem().Kind() == reflect.Struct {
			walk(v.Elem(), visit)
		}
	case reflect.Interface:
		if !v.IsNil() {
			walk(v.Elem(), visit)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walk(v.Index(i), visit)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(file.File{}) {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			f := v.Field(i)
			if f.Kind() == reflect.Pointer && f.Type().Elem() == reflect.TypeOf(file.File{}) {
				continue
			}
			if f.CanInterface() || f.Kind() == reflect.Struct {
				walk(f, visit)
			}
		}
	}
}

// printExpr renders an expression as V8's CallPrinter does in its error
// messages: names and property chains as written, call results as
// "f(...)", literals as written, anything else "(intermediate value)".
func printExpr(e ast.Expression) string {
	switch e := e.(type) {
	case *ast.Identifier:
		return string(e.Name)
	case *ast.ThisExpression:
		return "this"
	case *ast.SuperExpression:
		return "super"
	case *ast.DotExpression:
		return printExpr(e.Left) + "." + string(e.Identifier.Name)
	case *ast.PrivateDotExpression:
		return printExpr(e.Left) + ".#" + string(e.Identifier.Name)
	case *ast.BracketExpression:
		if s, ok := e.Member.(*ast.StringLiteral); ok {
			return printExpr(e.Left) + "." + string(s.Value)
		}
		return printExpr(e.Left) + "[" + printExpr(e.Member) + "]"
	case *ast.CallExpression:
		return printExpr(e.Callee) + "(...)"
	case *ast.OptionalChain:
		return printExpr(e.Expression)
	case *ast.Optional:
		return printExpr(e.Expression) + "?"
	case *ast.NumberLiteral:
		return e.Literal
	case *ast.StringLiteral:
		return strconv.Quote(string(e.Value))
	case *ast.NullLiteral:
		return "null"
	case *ast.BooleanLiteral:
		return e.Literal
	}
	return "(intermediate value)"
}

// find returns the site of kind k at the position pos satisfying ok.
func (s sites) find(pos string, k siteKind, ok func(site) bool) (site, bool) {
	for _, x := range s[pos] {
		if x.kind == k && (ok == nil || ok(x)) {
			return x, true
		}
	}
	return site{}, false
}
