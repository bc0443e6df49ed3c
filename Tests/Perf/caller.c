// Raw Tongxin caller: N echo calls, K in flight, through a gateway frontend.
#include <zmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>
static int varint(uint8_t *p, uint64_t v){int n=0;while(v>=0x80){p[n++]=(v&0x7f)|0x80;v>>=7;}p[n++]=v;return n;}
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static void sendcall(void *s, uint64_t id){
  // The head: version, command byte (REQUEST), RequestHeader.
  uint8_t h[74];int n=0;memcpy(h,"tongxin/2",9);n=9;h[n++]=0x01;h[n++]=0x08;n+=varint(h+n,id);
  h[n++]=0x12;h[n++]=4;memcpy(h+n,"echo",4);n+=4;
  h[n++]=0x1a;h[n++]=4;memcpy(h+n,"Echo",4);n+=4;
  h[n++]=0x20;n+=varint(h+n,10000);
  uint8_t p[66];p[0]=0x12;p[1]=64;memset(p+2,0x2a,64);
  zmq_send(s,h,n,ZMQ_SNDMORE);zmq_send(s,p,66,0);
}
static int recvone(void *s){ // returns 1 if ok response
  int frame=0,ok=0;zmq_msg_t m;zmq_msg_init(&m);
  for(;;){zmq_msg_recv(&m,s,0);
    if(frame==0){uint8_t*d=zmq_msg_data(&m);size_t sz=zmq_msg_size(&m);
      ok=sz>=10&&memcmp(d,"tongxin/2\x03",10)==0;
      for(size_t i=10;ok&&i<sz;){uint8_t tag=d[i++];uint64_t v=0;int sh=0;
        if((tag&7)==0){while(d[i]&0x80){v|=(uint64_t)(d[i++]&0x7f)<<sh;sh+=7;}v|=(uint64_t)d[i++]<<sh;if(tag==0x10&&v!=0)ok=0;}
        else {uint64_t l=0;while(d[i]&0x80){l|=(uint64_t)(d[i++]&0x7f)<<sh;sh+=7;}l|=(uint64_t)d[i++]<<sh;i+=l;ok=0;}}}
    frame++; if(!zmq_msg_more(&m))break;}
  zmq_msg_close(&m);return ok;}
int main(int argc,char**argv){
  const char*ep=argv[1];int calls=atoi(argv[2]);int inflight=atoi(argv[3]);
  void*ctx=zmq_ctx_new();void*s=zmq_socket(ctx,ZMQ_DEALER);int z=0;zmq_setsockopt(s,ZMQ_LINGER,&z,4);
  zmq_connect(s,ep);
  for(int i=0;i<200;i++){sendcall(s,i+1);recvone(s);}
  double t0=now();int sent=0,got=0,bad=0;
  while(sent<inflight&&sent<calls){sendcall(s,1000+sent);sent++;}
  while(got<calls){if(!recvone(s))bad++;got++;if(sent<calls){sendcall(s,1000+sent);sent++;}}
  double t=now()-t0;printf("%d calls, %d bad, %.0f calls/s\n",calls,bad,calls/t);
  zmq_close(s);zmq_ctx_term(ctx);return 0;}
