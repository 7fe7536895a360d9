package jsruntime

import (
	"reflect"
	"unsafe"

	"github.com/dop251/goja"
)

// vmFields are the indexes of the goja VM's fields resetVM uses (looked up
// once; -1 when a goja version lacks one, which makes resetVM do nothing).
var vmFields = func() (f struct{ vm, callStack, tryStack, iterStack, refStack, stack, sp, async int }) {
	rtT := reflect.TypeFor[goja.Runtime]()
	vmF, ok := rtT.FieldByName("vm")
	if !ok || vmF.Type.Kind() != reflect.Pointer {
		f.vm = -1
		return f
	}
	f.vm = vmF.Index[0]
	vmT := vmF.Type.Elem()
	idx := func(name string, kind reflect.Kind) int {
		sf, ok := vmT.FieldByName(name)
		if !ok || sf.Type.Kind() != kind || len(sf.Index) != 1 {
			f.vm = -1
			return -1
		}
		return sf.Index[0]
	}
	f.callStack, f.tryStack = idx("callStack", reflect.Slice), idx("tryStack", reflect.Slice)
	f.iterStack, f.refStack = idx("iterStack", reflect.Slice), idx("refStack", reflect.Slice)
	f.stack, f.sp, f.async = idx("stack", reflect.Slice), idx("sp", reflect.Int), idx("curAsyncRunner", reflect.Pointer)
	return f
}()

// resetVM repairs goja's VM after a task, when no JS is running.
//
// An uncatchable error (the CPU or memory limit's interrupt, a stack
// overflow) thrown while an async function runs escapes goja's
// asyncRunner.start without popping the frames it pushed. The call stack is
// then never empty again, so goja never again runs its job queue at the end
// of a call from Go: every later await hangs. This puts the VM back in the
// state it has between tasks (the outermost saved context, empty stacks).
// An interrupted call also leaves its values on goja's value stack, which
// would keep an allocation bomb's memory alive; that stack is dropped as a
// normal return does. goja keeps these fields unexported; they are reached
// by reflection, and TestAwaitAfterInterruptedAsync fails if a goja
// upgrade changes them.
func resetVM(rt *goja.Runtime) {
	f := vmFields
	if f.vm < 0 {
		return
	}
	vm := reflect.ValueOf(rt).Elem().Field(f.vm).Elem()
	if calls := vm.Field(f.callStack); calls.Len() > 0 {
		outer := calls.Index(0)
		for i := 0; i < outer.NumField(); i++ {
			sf, ok := vm.Type().FieldByName(outer.Type().Field(i).Name)
			if ok && len(sf.Index) == 1 && sf.Type == outer.Field(i).Type() {
				writable(vm.Field(sf.Index[0])).Set(writable(outer.Field(i)))
			}
		}
		for _, i := range []int{f.callStack, f.tryStack, f.iterStack, f.refStack} {
			writable(vm.Field(i)).SetLen(0)
		}
		writable(vm.Field(f.sp)).SetInt(0)
		writable(vm.Field(f.async)).SetZero()
	}
	if stack := vm.Field(f.stack); stack.Len() > 0 && vm.Field(f.sp).Int() == 0 {
		writable(stack).SetZero()
	}
}

// writable makes an unexported field settable.
func writable(v reflect.Value) reflect.Value {
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}
