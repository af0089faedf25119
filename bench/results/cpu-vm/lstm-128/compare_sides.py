"""cuseq time of side A / side B per shape (medians over the repetitions of
DIR/bench_recurrent_<side>_*.json), oneDNN / cuseq on each side where the run
timed oneDNN beside it, and the geometric mean of A / B per benchmark.

usage: compare_sides.py DIR SIDE_A SIDE_B [real_time|cpu_time]"""
import json,glob,sys,statistics as st,math
from collections import defaultdict
d,a,b=sys.argv[1:4]; metric=sys.argv[4] if len(sys.argv)>4 else 'real_time'
def load(side):
    t=defaultdict(list)
    for f in glob.glob(f'{d}/bench_recurrent_{side}_*.json'):
        for x in json.load(open(f))['benchmarks']:
            if x.get('run_type')=='iteration': t[x['run_name']].append(x[metric])
    return {k:st.median(v) for k,v in t.items()}
A,B=load(a),load(b)
logs=defaultdict(list)
for k in sorted(A):
    if 'cuseq' not in k or k not in B: continue
    r=A[k]/B[k]; logs[k.split('/')[0]].append(math.log(r))
    ref=k.replace('cuseq','reference')
    print(f"{k:70s} {a} {A[k]/1e6:8.3f} {b} {B[k]/1e6:8.3f}  {a}/{b} {r:5.2f}  dnn/{b} {B.get(ref,float('nan'))/B[k]:5.2f} dnn/{a} {A.get(ref,float('nan'))/A[k]:5.2f}")
for k,v in logs.items(): print(k, 'geomean', a,'/',b, round(math.exp(sum(v)/len(v)),3))
