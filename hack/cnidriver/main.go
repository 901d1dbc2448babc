// cnidriver: a small container-runtime stand-in for the ovs-mirror tests and demo. It runs ADD, CHECK
// and DEL of a CNI conflist for one network namespace through libcni, the way a container runtime
// does, and it does what Multus does with a pod's network selection element:
//
//   - the element's "cni-args" object is injected into EVERY plugin of the conflist as args.cni,
//     merged into an existing args.cni (Multus addCNIArgsInConfList / injectCNIArgs: the pod's keys win);
//   - CNI_ARGS is set exactly as containerd 1.6 + Multus 4.0.2 set it for a delegate (captured; see
//     shared/reference/k8s-node.md): Multus's copy and containerd's copy of the K8S_* keys, each key twice,
//     IgnoreUnknown both as "true" and as "1", in an order that differs between calls:
//     IgnoreUnknown=true;K8S_POD_NAMESPACE=..;K8S_POD_NAME=..;K8S_POD_INFRA_CONTAINER_ID=..;K8S_POD_UID=..;
//     K8S_POD_NAMESPACE=..;K8S_POD_NAME=..;K8S_POD_INFRA_CONTAINER_ID=..;K8S_POD_UID=..;IgnoreUnknown=1
//     (--k8s-args kubelet sends containerd's single copy, --no-k8s-args none);
//   - CNI_PATH repeats its entries, as Multus passes its own binDir in front of the runtime's path.
//
// libcni 1.1.2 (Debian 12) has no GC or STATUS: the `gc` and `status` commands call each plugin of the
// conflist directly with CNI_COMMAND=GC/STATUS (CNI SPEC 1.1), as a 1.1 runtime would.
//
// Build (offline, from Debian's golang-go and golang-github-appc-cni-dev):
//
//	GO111MODULE=off GOPATH=$tmp:/usr/share/gocode go build -o artifacts/bin/cnidriver ./hack/cnidriver
//
// Usage: see usage() below. The ADD result goes to stdout; on failure the plugin's CNI error goes to
// stdout as JSON ({"code":..,"msg":..,"details":..}), a one-line summary to stderr, and the exit
// status is 1 (2 for a usage error).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/containernetworking/cni/libcni"
	"github.com/containernetworking/cni/pkg/invoke"
	"github.com/containernetworking/cni/pkg/types"
)

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

type options struct {
	command      string
	conflist     string
	netns        string
	ifname       string
	containerID  string
	podName      string
	podNamespace string
	podUID       string
	cniArgs      string
	selection    string
	cniPath      string
	cacheDir     string
	ips          stringList
	validAttach  stringList
	timeout      time.Duration
	noK8sArgs    bool
	k8sArgs      string
	cniVersion   string
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: cnidriver COMMAND --conflist FILE [options]

COMMAND: add | check | del   run the conflist through libcni (AddNetworkList/CheckNetworkList/DelNetworkList)
         gc | status         call each plugin directly with CNI_COMMAND=GC/STATUS (libcni 1.1.2 has neither)
         conf                print the conflist after the Multus-style cni-args injection, run nothing

options:
  --conflist FILE          the network config list (.conflist; a single-plugin .conf is accepted too)
  --netns PATH             the container's netns, e.g. /var/run/netns/pod1 (a bare name means /var/run/netns/NAME)
  --ifname NAME            CNI_IFNAME (default eth0; --selection's "interface" wins when given)
  --container-id ID        CNI_CONTAINERID (default: the netns basename)
  --pod-name P             K8S_POD_NAME           (default: the netns basename)
  --pod-namespace N        K8S_POD_NAMESPACE      (default: default)
  --pod-uid U              K8S_POD_UID            (default: derived from namespace/name)
  --cni-args FILE          the "cni-args" object of the pod's network selection element ("-" = stdin)
  --selection FILE         a whole network selection element {"name","interface","namespace","cni-args","ips"}
  --ip CIDR                append IP=CIDR to CNI_ARGS (static-IPAM convention; read by hack/ovs-attach);
                           repeatable. --selection's "ips" do the same.
  --cni-path DIRS          plugin search path (default: $CNI_PATH)
  --cache-dir DIR          libcni result cache (default: $CNIDRIVER_CACHE_DIR or $TMPDIR/cnidriver-cache);
                           ADD and the DEL/CHECK after it must use the same one
  --valid-attachment ID/IFNAME   gc: an attachment that must be kept (repeatable)
  --timeout DURATION       per command (default 60s)
  --k8s-args STYLE         multus (default): CNI_ARGS with every K8S_* key twice, as a Multus delegate gets it;
                           kubelet: containerd's single copy; none: empty (a plain runtime)
  --no-k8s-args            the same as --k8s-args none
  --cni-version V          run the list as cniVersion V (e.g. 1.1.0 for gc/status of a 1.0.0 example)
`)
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(argv []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(argv) == 0 || argv[0] == "-h" || argv[0] == "--help" || argv[0] == "help" {
		usage(stderr)
		if len(argv) == 0 {
			return 2
		}
		return 0
	}
	o := options{command: argv[0]}
	fs := flag.NewFlagSet("cnidriver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { usage(stderr) }
	fs.StringVar(&o.conflist, "conflist", "", "")
	fs.StringVar(&o.netns, "netns", "", "")
	fs.StringVar(&o.ifname, "ifname", "", "")
	fs.StringVar(&o.containerID, "container-id", "", "")
	fs.StringVar(&o.podName, "pod-name", "", "")
	fs.StringVar(&o.podNamespace, "pod-namespace", "", "")
	fs.StringVar(&o.podUID, "pod-uid", "", "")
	fs.StringVar(&o.cniArgs, "cni-args", "", "")
	fs.StringVar(&o.selection, "selection", "", "")
	fs.StringVar(&o.cniPath, "cni-path", os.Getenv("CNI_PATH"), "")
	fs.StringVar(&o.cacheDir, "cache-dir", "", "")
	fs.Var(&o.ips, "ip", "")
	fs.Var(&o.validAttach, "valid-attachment", "")
	fs.DurationVar(&o.timeout, "timeout", 60*time.Second, "")
	fs.BoolVar(&o.noK8sArgs, "no-k8s-args", false, "")
	fs.StringVar(&o.k8sArgs, "k8s-args", "multus", "")
	fs.StringVar(&o.cniVersion, "cni-version", "", "")
	if err := fs.Parse(argv[1:]); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "cnidriver: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	switch o.command {
	case "add", "check", "del", "gc", "status", "conf":
	default:
		fmt.Fprintf(stderr, "cnidriver: unknown command %q\n", o.command)
		usage(stderr)
		return 2
	}
	if o.conflist == "" {
		fmt.Fprintln(stderr, "cnidriver: --conflist is required")
		return 2
	}

	list, err := loadConfList(&o, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "cnidriver: %v\n", err)
		return 2
	}
	if o.command == "conf" {
		stdout.Write(list.Bytes)
		fmt.Fprintln(stdout)
		return 0
	}
	if o.cniPath == "" {
		fmt.Fprintln(stderr, "cnidriver: no plugin path: set CNI_PATH or --cni-path")
		return 2
	}
	if o.cacheDir == "" {
		o.cacheDir = os.Getenv("CNIDRIVER_CACHE_DIR")
	}
	if o.cacheDir == "" {
		o.cacheDir = filepath.Join(os.TempDir(), "cnidriver-cache")
	}

	needsAttachment := o.command == "add" || o.command == "check" || o.command == "del"
	if needsAttachment && o.netns == "" && o.command != "del" {
		fmt.Fprintln(stderr, "cnidriver: --netns is required")
		return 2
	}
	if o.netns != "" && !strings.Contains(o.netns, "/") {
		o.netns = "/var/run/netns/" + o.netns
	}
	base := filepath.Base(o.netns)
	if o.ifname == "" {
		o.ifname = "eth0"
	}
	if o.containerID == "" {
		o.containerID = base
	}
	if needsAttachment && (o.containerID == "" || o.containerID == ".") {
		fmt.Fprintln(stderr, "cnidriver: --container-id is required when there is no --netns")
		return 2
	}
	if o.podName == "" {
		o.podName = base
	}
	if o.podNamespace == "" {
		o.podNamespace = "default"
	}
	if o.podUID == "" {
		o.podUID = fakeUID(o.podNamespace + "/" + o.podName)
	}

	rt := &libcni.RuntimeConf{
		ContainerID: o.containerID,
		NetNS:       o.netns,
		IfName:      o.ifname,
	}
	if o.noK8sArgs {
		o.k8sArgs = "none"
	}
	switch o.k8sArgs {
	case "multus", "kubelet", "none":
	default:
		fmt.Fprintf(stderr, "cnidriver: --k8s-args must be multus, kubelet or none, not %q\n", o.k8sArgs)
		return 2
	}
	rt.Args = k8sArgs(o.k8sArgs, o.command, o.podNamespace, o.podName, o.containerID, o.podUID)
	for _, ip := range o.ips {
		if len(rt.Args) == 0 {
			rt.Args = append(rt.Args, [2]string{"IgnoreUnknown", "1"})
		}
		rt.Args = append(rt.Args, [2]string{"IP", ip})
	}

	// Multus puts its binDir in front of the runtime's CNI_PATH, which already holds it: every entry twice.
	paths := filepath.SplitList(o.cniPath)
	paths = append(paths, paths...)

	exec := &invoke.DefaultExec{RawExec: &invoke.RawExec{Stderr: stderr}}
	cni := libcni.NewCNIConfigWithCacheDir(paths, o.cacheDir, exec)
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()

	switch o.command {
	case "add":
		result, err := cni.AddNetworkList(ctx, list, rt)
		if err != nil {
			return fail(stdout, stderr, "ADD", err)
		}
		if err := result.PrintTo(stdout); err != nil {
			fmt.Fprintf(stderr, "cnidriver: printing the result: %v\n", err)
			return 1
		}
		fmt.Fprintln(stdout)
		return 0
	case "check":
		if err := cni.CheckNetworkList(ctx, list, rt); err != nil {
			return fail(stdout, stderr, "CHECK", err)
		}
		return 0
	case "del":
		if err := cni.DelNetworkList(ctx, list, rt); err != nil {
			return fail(stdout, stderr, "DEL", err)
		}
		return 0
	case "gc", "status":
		if err := direct(ctx, exec, cni.Path, list, strings.ToUpper(o.command), rt, o.validAttach); err != nil {
			return fail(stdout, stderr, strings.ToUpper(o.command), err)
		}
		return 0
	}
	return 2
}

// k8sArgs returns CNI_ARGS as a runtime of the given style sends it. For "multus", the two copies (Multus's,
// with IgnoreUnknown=true, and containerd's, with IgnoreUnknown=1) come in one order for add and check and in
// the other for del, gc and status, as the captured calls differ.
func k8sArgs(style, command, namespace, name, containerID, uid string) [][2]string {
	pod := [][2]string{
		{"K8S_POD_NAMESPACE", namespace},
		{"K8S_POD_NAME", name},
		{"K8S_POD_INFRA_CONTAINER_ID", containerID},
		{"K8S_POD_UID", uid},
	}
	switch style {
	case "kubelet":
		return append([][2]string{{"IgnoreUnknown", "1"}}, pod...)
	case "multus":
		args := [][2]string{}
		if command == "add" || command == "check" {
			args = append(args, [2]string{"IgnoreUnknown", "true"})
			args = append(args, pod...)
			args = append(args, pod...)
			return append(args, [2]string{"IgnoreUnknown", "1"})
		}
		args = append(args, [2]string{"IgnoreUnknown", "1"})
		args = append(args, pod...)
		args = append(args, [2]string{"IgnoreUnknown", "true"})
		return append(args, pod...)
	}
	return nil
}

// loadConfList reads the conflist, and injects the cni-args (from --cni-args or --selection) into
// every plugin as args.cni, as Multus does. It may also set o.ifname and o.ips from --selection.
func loadConfList(o *options, stdin io.Reader) (*libcni.NetworkConfigList, error) {
	raw, err := os.ReadFile(o.conflist)
	if err != nil {
		return nil, err
	}
	var doc map[string]interface{}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%s: %v", o.conflist, err)
	}
	if _, ok := doc["plugins"]; !ok {
		// a single-plugin .conf: the same list libcni.ConfListFromConf would make
		doc = map[string]interface{}{
			"cniVersion": doc["cniVersion"],
			"name":       doc["name"],
			"plugins":    []interface{}{doc},
		}
	}

	var cniArgs map[string]interface{}
	if o.selection != "" {
		sel, err := readJSONObject(o.selection, stdin)
		if err != nil {
			return nil, fmt.Errorf("--selection: %v", err)
		}
		if v, ok := sel["interface"].(string); ok && v != "" {
			o.ifname = v
		}
		if v, ok := sel["cni-args"]; ok && v != nil {
			m, ok := v.(map[string]interface{})
			if !ok {
				return nil, errors.New(`--selection: "cni-args" is not an object`)
			}
			cniArgs = m
		}
		if v, ok := sel["ips"].([]interface{}); ok {
			for _, ip := range v {
				if s, ok := ip.(string); ok {
					o.ips = append(o.ips, s)
				}
			}
		}
	}
	if o.cniArgs != "" {
		if cniArgs != nil {
			return nil, errors.New("give the cni-args either with --cni-args or inside --selection, not both")
		}
		cniArgs, err = readJSONObject(o.cniArgs, stdin)
		if err != nil {
			return nil, fmt.Errorf("--cni-args: %v", err)
		}
	}
	if o.cniVersion != "" {
		doc["cniVersion"] = o.cniVersion
	}
	if cniArgs != nil {
		if err := addCNIArgsInConfList(doc, cniArgs); err != nil {
			return nil, err
		}
	}
	bytes, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	list, err := libcni.ConfListFromBytes(bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", o.conflist, err)
	}
	return list, nil
}

// addCNIArgsInConfList: Multus (pkg/types/conf.go addCNIArgsInConfList + injectCNIArgs) puts the
// element's cni-args into every plugin's args.cni; where a plugin already has args.cni, the keys of
// cni-args are set into it (overwriting equal keys) and its other keys stay.
func addCNIArgsInConfList(doc map[string]interface{}, cniArgs map[string]interface{}) error {
	plugins, ok := doc["plugins"].([]interface{})
	if !ok {
		return errors.New("the conflist has no plugin list")
	}
	for i, p := range plugins {
		plugin, ok := p.(map[string]interface{})
		if !ok {
			return fmt.Errorf("plugins[%d] is not an object", i)
		}
		args, ok := plugin["args"].(map[string]interface{})
		if !ok {
			plugin["args"] = map[string]interface{}{"cni": copyMap(cniArgs)}
			continue
		}
		cni, ok := args["cni"].(map[string]interface{})
		if !ok {
			args["cni"] = copyMap(cniArgs)
			continue
		}
		for k, v := range cniArgs {
			cni[k] = v
		}
	}
	return nil
}

func copyMap(m map[string]interface{}) map[string]interface{} {
	// a deep copy through JSON: every plugin gets its own object
	b, _ := json.Marshal(m)
	var c map[string]interface{}
	_ = json.Unmarshal(b, &c)
	return c
}

func readJSONObject(file string, stdin io.Reader) (map[string]interface{}, error) {
	var data []byte
	var err error
	if file == "-" {
		data, err = io.ReadAll(stdin)
	} else if strings.HasPrefix(strings.TrimSpace(file), "{") {
		data = []byte(file) // inline JSON
	} else {
		data, err = os.ReadFile(file)
	}
	if err != nil {
		return nil, err
	}
	var m map[string]interface{}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("not a JSON object")
	}
	return m, nil
}

// direct runs GC or STATUS on every plugin of the list (CNI SPEC 1.1 §GC, §STATUS): the plugin's
// config with name and cniVersion of the list, and for GC "cni.dev/valid-attachments".
func direct(ctx context.Context, exec invoke.Exec, path []string, list *libcni.NetworkConfigList,
	command string, rt *libcni.RuntimeConf, valid []string) error {
	attachments := []map[string]string{}
	for _, v := range valid {
		i := strings.LastIndex(v, "/")
		if i <= 0 || i == len(v)-1 {
			return fmt.Errorf("--valid-attachment %q is not CONTAINERID/IFNAME", v)
		}
		attachments = append(attachments, map[string]string{"containerID": v[:i], "ifname": v[i+1:]})
	}
	for _, plugin := range list.Plugins {
		var conf map[string]interface{}
		if err := json.Unmarshal(plugin.Bytes, &conf); err != nil {
			return err
		}
		conf["name"] = list.Name
		conf["cniVersion"] = list.CNIVersion
		if command == "GC" {
			conf["cni.dev/valid-attachments"] = attachments
		}
		stdinData, err := json.Marshal(conf)
		if err != nil {
			return err
		}
		pluginPath, err := exec.FindInPath(plugin.Network.Type, path)
		if err != nil {
			return err
		}
		args := &invoke.Args{Command: command, Path: strings.Join(path, string(os.PathListSeparator))}
		if command == "GC" || command == "STATUS" {
			args.PluginArgs = rt.Args
		}
		if _, err := exec.ExecPlugin(ctx, pluginPath, stdinData, args.AsEnv()); err != nil {
			return fmt.Errorf("plugin type=%q: %w", plugin.Network.Type, err)
		}
	}
	return nil
}

// fail prints the plugin's CNI error as JSON on stdout and a summary on stderr.
func fail(stdout, stderr io.Writer, what string, err error) int {
	var cniErr *types.Error
	if errors.As(err, &cniErr) {
		b, _ := json.Marshal(cniErr)
		fmt.Fprintln(stdout, string(b))
		fmt.Fprintf(stderr, "cnidriver: %s failed: %v\n", what, err)
		return 1
	}
	out := map[string]interface{}{"code": 999, "msg": err.Error()}
	if errors.Is(err, context.DeadlineExceeded) {
		out["msg"] = "timed out: " + err.Error()
	}
	b, _ := json.Marshal(out)
	fmt.Fprintln(stdout, string(b))
	fmt.Fprintf(stderr, "cnidriver: %s failed: %v\n", what, err)
	return 1
}

// fakeUID: a stable, UUID-shaped pod UID from namespace/name (FNV-1a based; only needs to be stable).
func fakeUID(s string) string {
	var h1, h2 uint64 = 14695981039346656037, 1099511628211
	for i := 0; i < len(s); i++ {
		h1 ^= uint64(s[i])
		h1 *= 1099511628211
		h2 ^= uint64(s[len(s)-1-i])
		h2 *= 14695981039346656037 | 1
	}
	x := fmt.Sprintf("%016x%016x", h1, h2)
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}
