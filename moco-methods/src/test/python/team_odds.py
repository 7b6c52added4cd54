# Independent re-computation (Python, from docs/simulated-models.md) of the enumerated team-method
# accuracies that TeamOdds.java computes for the tests and docs/methods/text-level.md quotes.
# Run: python3 team_odds.py
import itertools
P=[0.5,0.6,0.7]
def own(p,a): return p if a==0 else (1-p)/3
def plur(l):
    c=[l.count(a) for a in range(4)]; b=l[0]
    for a in l:
        if c[a]>c[b]: b=a
    return b
def agg(l,g): return 0 if g and 0 in l else plur(l)
def answers(p):
    for a in itertools.product(range(4),repeat=len(p)):
        pr=1
        for pi,ai in zip(p,a): pr*=own(pi,ai)
        yield list(a),pr
def flags(q):
    for f in itertools.product([0,1],repeat=len(q)):
        pr=1
        for qi,fi in zip(q,f): pr*= qi if fi else 1-qi
        yield f,pr
def moa(p,a,R,b):
    t=0
    for o,po in answers(p):
        for g,pg in flags(a):
            L=o
            for r in range(2,R+1): L=[agg(L,g[i]) for i in range(len(p))]
            t+=po*pg*(agg(L,g[b])==0)
    return t
def debate(p,q,R,sees):
    for o,po in answers(p):
        for f,pf in flags(q):
            A=o
            for r in range(2,R+1):
                A=[A[i] if not sees[i] else (plur([A[i]]+[A[j] for j in sees[i]]) if f[i] else o[i]) for i in range(len(p))]
            yield A,po*pf
def refine(p,q,R,a):
    return sum(pr*(a*(agg(A,1)==0)+(1-a)*(agg(A,0)==0)) for A,pr in debate(p,q,R,[[1,2],[0,2],[0,1]]))
def structure(p,q,R,sees,b):
    return sum(pr*(A[b]==0) for A,pr in debate(p,q,R,sees))
def feedback(p,c,f,R,a):
    fp=[1-(1-p[i])*(1-f*(1-(1-c)**2))**(R-1) for i in range(3)]
    return sum(pr*(a*(agg(A,1)==0)+(1-a)*(agg(A,0)==0)) for A,pr in answers(fp))
def kc(p,b,u,ex):
    none=1
    for j in range(3):
        if not(ex and j==b): none*=1-p[j]
    return p[b]+(1-p[b])*u*(1-none)
print("moa r1 a.8", moa(P,[.8]*3,1,2), "r2", moa(P,[.8]*3,2,2))
print("refine r3 pers.5 agg.6", refine(P,[.5]*3,3,.6), "r1", refine(P,[.5]*3,1,.6))
print("structure chain", structure(P,[.7]*3,3,[[1],[0,2],[1]],2), "complete", structure(P,[.7]*3,3,[[1,2],[0,2],[0,1]],2))
print("feedback", feedback(P,.7,.6,3,.5), "r1", feedback(P,.7,.6,1,.5))
print("kc", kc(P,2,.7,False), kc(P,2,.7,True))
def blender(p,J,k,a):
    pairs=[(0,1),(0,2),(1,2)]; t=0
    for A,pa in answers(p):
        keys=sorted(set((A[i],A[j]) for i,j in pairs))
        for outs in itertools.product([0,1],repeat=len(keys)):
            pv=1; won={}
            for key,o in zip(keys,outs):
                x,y=key; q=(J if x==0 else 1-J) if (x==0)!=(y==0) else 0.5
                pv*= q if o else 1-q; won[key]=o
            w=[0]*3
            for i,j in pairs: w[i if won[(A[i],A[j])] else j]+=1
            order=sorted(range(3),key=lambda m:(-w[m],m))
            top=[A[m] for m in order[:k]]
            t+=pa*pv*(a*(agg(top,1)==0)+(1-a)*(agg(top,0)==0))
    return t
def mux(p,k,pri):
    tabs=[]
    for pm in p:
        t={}
        for s in itertools.product(range(4),repeat=k):
            pr=1
            for x in s: pr*=own(pm,x)
            c=[s.count(a) for a in range(4)]; top=max(c); L=c.count(top)
            r=t.setdefault(top,[0,0]); r[0]+=pr*(1/L if c[0]==top else 0); r[1]+=pr
        tabs.append(t)
    res=0
    for confs in itertools.product(*[list(t.keys()) for t in tabs]):
        b=max(confs); w=[m for m in pri if confs[m]==b][0]
        pr=1
        for m in range(len(p)): pr*=tabs[m][confs[m]][0 if m==w else 1]
        res+=pr
    return res
print("blender J.8 k2 a.7", blender(P,.8,2,.7), "k3", blender(P,.8,3,.7))
print("mux dev-based", mux(P,5,[2,1,0]), "model-order", mux(P,5,[0,1,2]))
